using System.Security.Cryptography;

namespace Jinka.Crypto.GlobalPlatform;

/// <summary>SCP02 security level, the P1 of EXTERNAL AUTHENTICATE (NOTES D.2).</summary>
[Flags]
public enum Scp02SecurityLevel : byte
{
    /// <summary>No secure messaging after authentication.</summary>
    None = 0x00,

    /// <summary>C-MAC on every command.</summary>
    CMac = 0x01,

    /// <summary>C-DECRYPTION of command data (only together with <see cref="CMac"/>, i.e. level 03).</summary>
    CDecryption = 0x02,
}

/// <summary>
/// One SCP02 secure channel session: the four session keys (held in a pinned buffer zeroed on dispose) and the C-MAC
/// ICV chain. The host wraps commands with <see cref="Wrap"/>; a card verifies and unwraps them with
/// <see cref="TryUnwrap"/>. Short APDUs only. R-MAC is not implemented (its session key is derived).
/// </summary>
/// <remarks>Not thread-safe: a secure channel is one conversation.</remarks>
public sealed class Scp02Session : IDisposable
{
    private const byte SecureMessagingClaBit = 0x04;
    private readonly byte[] _keys = GC.AllocateArray<byte>(4 * Scp02.KeyLength, pinned: true);
    private readonly byte[] _sequenceCounter;
    private readonly byte[] _icv = new byte[8];
    private readonly bool _icvEncryption;
    private bool _disposed;

    /// <summary>Derives the session keys from the static keys and the card's sequence counter.</summary>
    /// <param name="encKey">Static ENC key (16 bytes).</param>
    /// <param name="macKey">Static MAC key (16 bytes).</param>
    /// <param name="dekKey">Static DEK (16 bytes).</param>
    /// <param name="sequenceCounter">The 2-byte sequence counter from INITIALIZE UPDATE.</param>
    /// <param name="icvEncryption">Encrypt each C-MAC with single DES before using it as the next ICV (SCP02 option i = 15/55).</param>
    public Scp02Session(ReadOnlySpan<byte> encKey, ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> dekKey, ReadOnlySpan<byte> sequenceCounter, bool icvEncryption = true)
    {
        Scp02.DeriveSessionKey(encKey, Scp02SessionKeyType.SEnc, sequenceCounter, SEnc);
        Scp02.DeriveSessionKey(macKey, Scp02SessionKeyType.CMac, sequenceCounter, CMacKey);
        Scp02.DeriveSessionKey(macKey, Scp02SessionKeyType.RMac, sequenceCounter, _keys.AsSpan(32, 16));
        Scp02.DeriveSessionKey(dekKey, Scp02SessionKeyType.Dek, sequenceCounter, DekKey);
        _sequenceCounter = sequenceCounter.ToArray();
        _icvEncryption = icvEncryption;
    }

    /// <summary>The security level set by EXTERNAL AUTHENTICATE.</summary>
    public Scp02SecurityLevel SecurityLevel { get; private set; }

    private Span<byte> SEnc => _keys.AsSpan(0, 16);

    private Span<byte> CMacKey => _keys.AsSpan(16, 16);

    private Span<byte> DekKey => _keys.AsSpan(48, 16);

    /// <summary>The card cryptogram for these challenges.</summary>
    public byte[] CardCryptogram(ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cryptogram = new byte[8];
        Scp02.CardCryptogram(SEnc, hostChallenge, _sequenceCounter, cardChallenge, cryptogram);
        return cryptogram;
    }

    /// <summary>The host cryptogram for these challenges.</summary>
    public byte[] HostCryptogram(ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cryptogram = new byte[8];
        Scp02.HostCryptogram(SEnc, hostChallenge, _sequenceCounter, cardChallenge, cryptogram);
        return cryptogram;
    }

    /// <summary>Host side: checks the card cryptogram from INITIALIZE UPDATE in constant time.</summary>
    public bool VerifyCardCryptogram(ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge, ReadOnlySpan<byte> cryptogram) =>
        CryptographicOperations.FixedTimeEquals(CardCryptogram(hostChallenge, cardChallenge), cryptogram);

    /// <summary>
    /// Host side: the EXTERNAL AUTHENTICATE command <c>84 82 SL 00 10 host-cryptogram C-MAC</c>, MAC'd with a zero
    /// ICV; afterwards commands are wrapped at <paramref name="level"/>.
    /// </summary>
    public byte[] BuildExternalAuthenticate(ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge, Scp02SecurityLevel level)
    {
        CheckLevel(level);
        _icv.AsSpan().Clear();
        byte[] plain = [0x80, 0x82, (byte)level, 0x00, 0x08, .. HostCryptogram(hostChallenge, cardChallenge)];
        byte[] wrapped = WrapWithMac(plain, encrypt: false);
        SecurityLevel = level;
        return wrapped;
    }

    /// <summary>
    /// Card side: verifies an EXTERNAL AUTHENTICATE (its C-MAC with a zero ICV and the host cryptogram) and, when
    /// both match, sets <see cref="SecurityLevel"/> from P1. Returns false otherwise.
    /// </summary>
    public bool AcceptExternalAuthenticate(ReadOnlySpan<byte> command, ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (command.Length != 21 || command[1] != 0x82 || command[4] != 0x10)
        {
            return false;
        }

        var level = (Scp02SecurityLevel)command[2];
        if (level is not (Scp02SecurityLevel.None or Scp02SecurityLevel.CMac or (Scp02SecurityLevel.CMac | Scp02SecurityLevel.CDecryption)))
        {
            return false;
        }

        _icv.AsSpan().Clear();
        if (!TryUnwrapWithMac(command, decrypt: false, out byte[]? plain))
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(HostCryptogram(hostChallenge, cardChallenge), plain.AsSpan(5, 8)))
        {
            return false;
        }

        SecurityLevel = level;
        return true;
    }

    /// <summary>Host side: wraps a plain short command APDU at the current security level.</summary>
    /// <exception cref="ArgumentException">The APDU is not a well-formed short command, or grows past 255 data bytes.</exception>
    public byte[] Wrap(ReadOnlySpan<byte> command)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SecurityLevel.HasFlag(Scp02SecurityLevel.CMac)
            ? WrapWithMac(command, SecurityLevel.HasFlag(Scp02SecurityLevel.CDecryption))
            : command.ToArray();
    }

    /// <summary>
    /// Card side: verifies the C-MAC (continuing the ICV chain), decrypts C-DECRYPTION data, and returns the plain
    /// command. False when the MAC, the structure or the padding is wrong (the card should then close the session).
    /// </summary>
    public bool TryUnwrap(ReadOnlySpan<byte> command, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? plain)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!SecurityLevel.HasFlag(Scp02SecurityLevel.CMac))
        {
            plain = command.ToArray();
            return true;
        }

        return TryUnwrapWithMac(command, SecurityLevel.HasFlag(Scp02SecurityLevel.CDecryption), out plain);
    }

    /// <summary>Encrypts key material for PUT KEY under the DEK session key (3DES-ECB).</summary>
    public byte[] EncryptKey(ReadOnlySpan<byte> key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var encrypted = new byte[key.Length];
        Scp02.EncryptKey(DekKey, key, encrypted);
        return encrypted;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_keys);
            CryptographicOperations.ZeroMemory(_icv);
            _disposed = true;
        }
    }

    private static void CheckLevel(Scp02SecurityLevel level)
    {
        if (level is not (Scp02SecurityLevel.None or Scp02SecurityLevel.CMac or (Scp02SecurityLevel.CMac | Scp02SecurityLevel.CDecryption)))
        {
            throw new ArgumentException($"SCP02 security level {(byte)level:X2} is not 00, 01 or 03.", nameof(level));
        }
    }

    private byte[] WrapWithMac(ReadOnlySpan<byte> command, bool encrypt)
    {
        var apdu = ShortApdu.Parse(command);
        if (apdu.Data.Length + 8 > 255)
        {
            throw new ArgumentException($"Command data of {apdu.Data.Length} bytes leaves no room for the 8-byte C-MAC in a short APDU.", nameof(command));
        }

        byte cla = (byte)(command[0] | SecureMessagingClaBit);

        // C-MAC over the modified header (CLA with bit 04, Lc + 8) and the plain data (GP Card Spec v2.2 E.4.4).
        byte[] macInput = [cla, command[1], command[2], command[3], (byte)(apdu.Data.Length + 8), .. apdu.Data];
        Span<byte> mac = stackalloc byte[8];
        Scp02.CMac(CMacKey, _icv, macInput, mac);
        AdvanceIcv(mac);

        byte[] data = apdu.Data.ToArray();
        if (encrypt && data.Length > 0)
        {
            data = new byte[Scp02.EncryptedDataLength(apdu.Data.Length)];
            Scp02.EncryptCommandData(SEnc, apdu.Data, data);
            if (data.Length + 8 > 255)
            {
                throw new ArgumentException($"Encrypted data of {data.Length} bytes leaves no room for the C-MAC in a short APDU.", nameof(command));
            }
        }

        byte[] header = [cla, command[1], command[2], command[3], (byte)(data.Length + 8)];
        return apdu.HasLe ? [.. header, .. data, .. mac, apdu.Le] : [.. header, .. data, .. mac];
    }

    private bool TryUnwrapWithMac(ReadOnlySpan<byte> command, bool decrypt, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? plain)
    {
        plain = null;
        if (!ShortApdu.TryParse(command, out var apdu) || (command[0] & SecureMessagingClaBit) == 0 || apdu.Data.Length < 8)
        {
            return false;
        }

        ReadOnlySpan<byte> body = command.Slice(5, apdu.Data.Length - 8);
        ReadOnlySpan<byte> receivedMac = command.Slice(5 + body.Length, 8);
        byte[] data = body.ToArray();
        if (decrypt && body.Length > 0)
        {
            data = new byte[body.Length];
            if (!Scp02.TryDecryptCommandData(SEnc, body, data, out int written))
            {
                return false;
            }

            data = data[..written];
        }

        byte[] macInput = [command[0], command[1], command[2], command[3], (byte)(data.Length + 8), .. data];
        Span<byte> mac = stackalloc byte[8];
        Scp02.CMac(CMacKey, _icv, macInput, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, receivedMac))
        {
            return false;
        }

        AdvanceIcv(mac);
        byte cla = (byte)(command[0] & ~SecureMessagingClaBit);
        byte[] header = data.Length > 0
            ? [cla, command[1], command[2], command[3], (byte)data.Length]
            : [cla, command[1], command[2], command[3]];
        plain = apdu.HasLe ? [.. header, .. data, apdu.Le] : [.. header, .. data];
        return true;
    }

    private void AdvanceIcv(ReadOnlySpan<byte> mac)
    {
        if (_icvEncryption)
        {
            Scp02.EncryptIcv(CMacKey, mac, _icv);
        }
        else
        {
            mac.CopyTo(_icv);
        }
    }

    /// <summary>The parts of a short command APDU (ISO/IEC 7816-3 cases 1–4).</summary>
    private readonly ref struct ShortApdu
    {
        private ShortApdu(ReadOnlySpan<byte> data, bool hasLe, byte le)
        {
            Data = data;
            HasLe = hasLe;
            Le = le;
        }

        public ReadOnlySpan<byte> Data { get; }

        public bool HasLe { get; }

        public byte Le { get; }

        public static ShortApdu Parse(ReadOnlySpan<byte> command) =>
            TryParse(command, out var apdu)
                ? apdu
                : throw new ArgumentException($"A {command.Length}-byte command is not a short APDU (CLA INS P1 P2 [Lc data] [Le]).", nameof(command));

        public static bool TryParse(ReadOnlySpan<byte> command, out ShortApdu apdu)
        {
            apdu = default;
            switch (command.Length)
            {
                case < 4:
                    return false;
                case 4:
                    apdu = new ShortApdu(default, false, 0);
                    return true;
                case 5:
                    apdu = new ShortApdu(default, true, command[4]);
                    return true;
            }

            int lc = command[4];
            if (lc == 0)
            {
                return false;
            }

            if (command.Length == 5 + lc)
            {
                apdu = new ShortApdu(command.Slice(5, lc), false, 0);
                return true;
            }

            if (command.Length == 6 + lc)
            {
                apdu = new ShortApdu(command.Slice(5, lc), true, command[^1]);
                return true;
            }

            return false;
        }
    }
}
