using System.Text;
using Jinka.Crypto.Symmetric;

namespace Jinka.Iso8583.Transport;

/// <summary>
/// TEST KEYS ONLY. Terminal master keys derived from the terminal ID under a fixed, published root, so a test host
/// and test terminals (<c>jinka transact --host</c>, <c>jinka host bench</c>) agree on a TMK without a key ceremony:
/// TMK = 3DES_root(ASCII TID) ‖ 3DES_root(ASCII TID XOR FF…FF), odd parity, root = ASCII "JINKA TEST TMK R".
/// A production host loads each terminal's TMK into its key store instead.
/// </summary>
public static class TestTerminalKeys
{
    /// <summary>The root: ASCII "JINKA TEST TMK R".</summary>
    public static ReadOnlySpan<byte> Root => "JINKA TEST TMK R"u8;

    /// <summary>The 16-byte test TMK of terminal <paramref name="terminalId"/> (8 characters).</summary>
    /// <exception cref="ArgumentException">The terminal ID is not 8 ASCII characters.</exception>
    public static byte[] MasterKeyFor(string terminalId)
    {
        if (terminalId is not { Length: 8 } || terminalId.Any(c => c > 0x7E || c < 0x20))
        {
            throw new ArgumentException($"A terminal ID is 8 printable ASCII characters; got '{terminalId}'.", nameof(terminalId));
        }

        byte[] input = new byte[16];
        Encoding.ASCII.GetBytes(terminalId, input);
        for (int i = 0; i < 8; i++)
        {
            input[8 + i] = (byte)~input[i];
        }

        using var root = BlockCipher.Create(CipherAlgorithm.TripleDes, Root);
        byte[] key = root.EncryptEcb(input);
        DesKeyParity.AdjustOdd(key);
        return key;
    }
}
