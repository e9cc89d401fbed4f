using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Keys;

namespace Jinka.Iso8583.Messages;

/// <summary>
/// Field 62 of a sign-on response: the PIN key and the MAC key, each encrypted under the terminal master key and
/// followed by its 4-byte check value (the first 4 bytes of the clear key's encryption of eight 00 bytes). 40 bytes for
/// double-length keys (60.3 = 003): PIK 16 ‖ CV 4 ‖ MAK 16 ‖ CV 4; 24 bytes for single-length ones: 8 ‖ 4 ‖ 8 ‖ 4.
/// </summary>
public sealed record SignOnKeys(EncryptedWorkingKey Pin, EncryptedWorkingKey Mac)
{
    /// <summary>Field 62 bytes.</summary>
    public byte[] ToField62() => [.. Pin.Ciphertext, .. Pin.CheckValue, .. Mac.Ciphertext, .. Mac.CheckValue];

    /// <summary>Reads field 62; false for any length but 24 and 40.</summary>
    public static bool TryParse(ReadOnlySpan<byte> field62, [NotNullWhen(true)] out SignOnKeys? keys)
    {
        keys = null;
        int keyLength = field62.Length switch
        {
            40 => 16,
            24 => 8,
            _ => 0,
        };
        if (keyLength == 0)
        {
            return false;
        }

        const int cv = EncryptedWorkingKey.CheckValueLength;
        int step = keyLength + cv;
        keys = new SignOnKeys(
            new EncryptedWorkingKey(field62[..keyLength].ToArray(), field62.Slice(keyLength, cv).ToArray()),
            new EncryptedWorkingKey(field62.Slice(step, keyLength).ToArray(), field62.Slice(step + keyLength, cv).ToArray()));
        return true;
    }
}
