using System.Security.Cryptography;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Purse;

/// <summary>
/// Transport purse (PBOC ED/EP, JT/T 978) cryptography, 3DES/DES only (NOTES B.4, ADDENDUM §3): card key
/// diversification, process (session) keys, MAC1/MAC2 and TAC. All MACs are single-DES CBC-MACs, IV 0, pad 80…
/// always, leftmost 4 bytes. The SM4 purse variant is not implemented: no public definition exists (ADDENDUM 3.3).
/// </summary>
/// <remarks>
/// Field sizes: amounts and balances 4 bytes (binary, big-endian), transaction type 1, terminal ID 6, terminal
/// transaction serial 4, date 4 (YYYYMMDD BCD), time 3 (hhmmss BCD), ATC 2, card random 4.
/// </remarks>
public static class PurseCrypto
{
    /// <summary>Length of purse MACs and TACs.</summary>
    public const int MacLength = 4;

    /// <summary>Length of a process key (SESPK/SESLK) and of the TAC key.</summary>
    public const int ProcessKeyLength = 8;

    /// <summary>
    /// One diversification level: K = 3DES_MK(D) ‖ 3DES_MK(D ⊕ FF×8) with an 8-byte diversifier D (card ASN, issuer
    /// code …; NOTES B.4). Apply it once per level, least specific factor first.
    /// </summary>
    public static void DiversifyKey(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> diversifier, Span<byte> cardKey)
    {
        RequireLength(masterKey, 16, nameof(masterKey), "The purse master key");
        RequireLength(diversifier, 8, nameof(diversifier), "The diversifier (e.g. the 8-byte ASN)");
        RequireLength(cardKey, 16, nameof(cardKey), "The card key destination");
        Span<byte> d = stackalloc byte[16];
        diversifier.CopyTo(d);
        for (int i = 0; i < 8; i++)
        {
            d[8 + i] = (byte)~diversifier[i];
        }

        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, masterKey);
        cipher.EncryptEcb(d, cardKey);
        CryptographicOperations.ZeroMemory(d);
    }

    /// <summary>Purchase process key SESPK = 3DES_DPK(card random(4) ‖ offline ATC(2) ‖ last 2 bytes of the terminal transaction serial).</summary>
    public static void PurchaseSessionKey(ReadOnlySpan<byte> purchaseKey, ReadOnlySpan<byte> cardRandom, ReadOnlySpan<byte> offlineAtc, ReadOnlySpan<byte> terminalSerial, Span<byte> sessionKey)
    {
        RequireLength(terminalSerial, 4, nameof(terminalSerial), "The terminal transaction serial");
        Span<byte> input = stackalloc byte[8];
        BuildProcessKeyInput(cardRandom, offlineAtc, nameof(offlineAtc), input);
        terminalSerial[2..].CopyTo(input[6..]);
        ProcessKey(purchaseKey, input, sessionKey);
    }

    /// <summary>Load process key SESLK = 3DES_DLK(card random(4) ‖ online ATC(2) ‖ 8000).</summary>
    public static void LoadSessionKey(ReadOnlySpan<byte> loadKey, ReadOnlySpan<byte> cardRandom, ReadOnlySpan<byte> onlineAtc, Span<byte> sessionKey)
    {
        Span<byte> input = stackalloc byte[8];
        BuildProcessKeyInput(cardRandom, onlineAtc, nameof(onlineAtc), input);
        input[6] = 0x80;
        input[7] = 0x00;
        ProcessKey(loadKey, input, sessionKey);
    }

    /// <summary>The purse MAC: single-DES CBC-MAC, IV 0, pad 80…, leftmost 4 bytes (NOTES B.4).</summary>
    public static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        RequireLength(key, ProcessKeyLength, nameof(key), "A purse MAC key");
        RequireLength(mac, MacLength, nameof(mac), "The MAC destination");
        using var des = BlockCipher.Create(CipherAlgorithm.Des, key);
        Iso9797Mac.ComputeAlgorithm1(des, data, PaddingMethod.Iso9797Method2, mac);
    }

    /// <summary>TAC key = DTK left half ⊕ right half (W3).</summary>
    public static void TacKey(ReadOnlySpan<byte> tacKey, Span<byte> key)
    {
        RequireLength(tacKey, 16, nameof(tacKey), "The card TAC key (DTK)");
        RequireLength(key, ProcessKeyLength, nameof(key), "The TAC key destination");
        for (int i = 0; i < 8; i++)
        {
            key[i] = (byte)(tacKey[i] ^ tacKey[8 + i]);
        }
    }

    /// <summary>Purchase MAC1 (PSAM → card): amount ‖ type ‖ terminal ID ‖ date ‖ time under SESPK.</summary>
    public static void PurchaseMac1(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> amount, byte transactionType, ReadOnlySpan<byte> terminalId, ReadOnlySpan<byte> date, ReadOnlySpan<byte> time, Span<byte> mac)
    {
        Span<byte> input = stackalloc byte[18];
        var w = new FieldWriter(input);
        w.Add(amount, 4, nameof(amount));
        w.Add(transactionType);
        w.Add(terminalId, 6, nameof(terminalId));
        w.Add(date, 4, nameof(date));
        w.Add(time, 3, nameof(time));
        Mac(sessionKey, input, mac);
    }

    /// <summary>Purchase MAC2 (card → PSAM): amount under SESPK.</summary>
    public static void PurchaseMac2(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> amount, Span<byte> mac)
    {
        RequireLength(amount, 4, nameof(amount), "The amount");
        Mac(sessionKey, amount, mac);
    }

    /// <summary>Purchase TAC: amount ‖ type ‖ terminal ID ‖ terminal serial ‖ date ‖ time under DTK_L ⊕ DTK_R (ADDENDUM 3.2, settled).</summary>
    public static void PurchaseTac(ReadOnlySpan<byte> tacKey, ReadOnlySpan<byte> amount, byte transactionType, ReadOnlySpan<byte> terminalId, ReadOnlySpan<byte> terminalSerial, ReadOnlySpan<byte> date, ReadOnlySpan<byte> time, Span<byte> tac)
    {
        Span<byte> input = stackalloc byte[22];
        var w = new FieldWriter(input);
        w.Add(amount, 4, nameof(amount));
        w.Add(transactionType);
        w.Add(terminalId, 6, nameof(terminalId));
        w.Add(terminalSerial, 4, nameof(terminalSerial));
        w.Add(date, 4, nameof(date));
        w.Add(time, 3, nameof(time));
        Tac(tacKey, input, tac);
    }

    /// <summary>Load MAC1 (card → host): old balance ‖ amount ‖ type ‖ terminal ID under SESLK.</summary>
    public static void LoadMac1(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> oldBalance, ReadOnlySpan<byte> amount, byte transactionType, ReadOnlySpan<byte> terminalId, Span<byte> mac)
    {
        Span<byte> input = stackalloc byte[15];
        var w = new FieldWriter(input);
        w.Add(oldBalance, 4, nameof(oldBalance));
        w.Add(amount, 4, nameof(amount));
        w.Add(transactionType);
        w.Add(terminalId, 6, nameof(terminalId));
        Mac(sessionKey, input, mac);
    }

    /// <summary>Load MAC2 (host → card): amount ‖ type ‖ terminal ID ‖ date ‖ time under SESLK.</summary>
    public static void LoadMac2(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> amount, byte transactionType, ReadOnlySpan<byte> terminalId, ReadOnlySpan<byte> date, ReadOnlySpan<byte> time, Span<byte> mac) =>
        PurchaseMac1(sessionKey, amount, transactionType, terminalId, date, time, mac);

    /// <summary>
    /// Load TAC: new balance ‖ online ATC (before increment) ‖ amount ‖ type ‖ terminal ID ‖ date ‖ time under
    /// DTK_L ⊕ DTK_R. The order is "likely" (ADDENDUM 3.1), not confirmed by a recomputed sample.
    /// </summary>
    public static void LoadTac(ReadOnlySpan<byte> tacKey, ReadOnlySpan<byte> newBalance, ReadOnlySpan<byte> onlineAtc, ReadOnlySpan<byte> amount, byte transactionType, ReadOnlySpan<byte> terminalId, ReadOnlySpan<byte> date, ReadOnlySpan<byte> time, Span<byte> tac)
    {
        Span<byte> input = stackalloc byte[24];
        var w = new FieldWriter(input);
        w.Add(newBalance, 4, nameof(newBalance));
        w.Add(onlineAtc, 2, nameof(onlineAtc));
        w.Add(amount, 4, nameof(amount));
        w.Add(transactionType);
        w.Add(terminalId, 6, nameof(terminalId));
        w.Add(date, 4, nameof(date));
        w.Add(time, 3, nameof(time));
        Tac(tacKey, input, tac);
    }

    /// <summary>A TAC over assembled data: the purse MAC under DTK_L ⊕ DTK_R.</summary>
    public static void Tac(ReadOnlySpan<byte> tacKey, ReadOnlySpan<byte> data, Span<byte> tac)
    {
        Span<byte> key = stackalloc byte[ProcessKeyLength];
        TacKey(tacKey, key);
        try
        {
            Mac(key, data, tac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void BuildProcessKeyInput(ReadOnlySpan<byte> cardRandom, ReadOnlySpan<byte> atc, string atcName, Span<byte> input)
    {
        RequireLength(cardRandom, 4, nameof(cardRandom), "The card pseudo-random number");
        RequireLength(atc, 2, atcName, "The ED/EP transaction counter");
        cardRandom.CopyTo(input);
        atc.CopyTo(input[4..]);
    }

    private static void ProcessKey(ReadOnlySpan<byte> cardKey, ReadOnlySpan<byte> input, Span<byte> sessionKey)
    {
        RequireLength(cardKey, 16, nameof(cardKey), "The card purse key");
        RequireLength(sessionKey, ProcessKeyLength, nameof(sessionKey), "The process key destination");
        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, cardKey);
        cipher.EncryptEcb(input, sessionKey);
    }

    private static void RequireLength(ReadOnlySpan<byte> span, int length, string parameterName, string what)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"{what} must be {length} bytes; got {span.Length}.", parameterName);
        }
    }

    /// <summary>Appends fixed-size fields, checking each one's length.</summary>
    private ref struct FieldWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _offset;

        public void Add(ReadOnlySpan<byte> field, int length, string parameterName)
        {
            RequireLength(field, length, parameterName, parameterName);
            field.CopyTo(_buffer[_offset..]);
            _offset += length;
        }

        public void Add(byte value) => _buffer[_offset++] = value;
    }
}
