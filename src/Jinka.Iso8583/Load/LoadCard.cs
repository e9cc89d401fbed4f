using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Emv;

namespace Jinka.Iso8583.Load;

/// <summary>
/// A card for load tests that computes its own ARQCs, as the chip does, without an APDU round trip: the UDK is
/// derived once from the issuer master key (option A, the card's scheme), and each authorisation takes the next ATC,
/// derives the session key, and MACs the CVN 01 input (contract P3: 9F02 ‖ 9F03 ‖ 9F1A ‖ 95 ‖ 5F2A ‖ 9A ‖ 9C ‖ 9F37 ‖
/// 82 ‖ 9F36 ‖ CVR) with the suite's AC algorithm — the code path the card's GENERATE AC uses. Field 55 is the
/// card's own first-GENERATE-AC field 55 (a template captured from one real transaction) with the
/// amount, date, unpredictable number, ATC and ARQC replaced; without a template, a P1-shaped one. The host verifies it
/// exactly as it verifies a card's. Thread-safe: ATCs are taken atomically and never repeat.
/// </summary>
public sealed class LoadCard
{
    private static readonly Tag Arqc = new(0x9F26);
    private static readonly Tag Atc = new(0x9F36);
    private static readonly Tag Unpredictable = new(0x9F37);
    private static readonly Tag Amount = new(0x9F02);
    private static readonly Tag Date = new(0x9A);
    private static readonly Tag TransactionType = new(0x9C);
    private static readonly Tag Iad = new(0x9F10);

    private readonly AlgorithmSuite _suite;
    private readonly byte[] _udk;
    private readonly byte[] _template;
    private readonly Dictionary<Tag, (int Offset, int Length)> _values;
    private int _nextAtc;

    /// <param name="suite">International (3DES) or SM (SM4).</param>
    /// <param name="pan">Application PAN.</param>
    /// <param name="psn">PAN sequence number, two digits.</param>
    /// <param name="mdkAc">The issuer master key for ACs (the keys file's mdkAc, 16 bytes).</param>
    /// <param name="nextAtc">The first ATC to use (1 for a fresh card; the last run's <see cref="NextAtc"/> otherwise).</param>
    /// <param name="template">Field 55 of a real first GENERATE AC of this card; null for a P1-shaped one.</param>
    /// <exception cref="ArgumentException">The template lacks an element the ARQC covers, or has it with the wrong length.</exception>
    public LoadCard(SuiteId suite, string pan, string psn, ReadOnlySpan<byte> mdkAc, int nextAtc = 1, ReadOnlyMemory<byte>? template = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pan);
        ArgumentException.ThrowIfNullOrEmpty(psn);
        ArgumentOutOfRangeException.ThrowIfLessThan(nextAtc, 1);
        _suite = AlgorithmSuite.Get(suite);
        Pan = pan;
        Psn = psn;
        _udk = _suite.DeriveUdk(mdkAc, pan, byte.Parse(psn, NumberStyles.HexNumber, CultureInfo.InvariantCulture), EmvKeyScheme.Pboc.UdkOption);
        _template = (template ?? DefaultTemplate(_suite)).ToArray();
        _values = IndexTemplate(_template);
        _nextAtc = nextAtc - 1;
    }

    public string Pan { get; }

    public string Psn { get; }

    /// <summary>The ATC the next authorisation will use (to persist between runs: a card's ATC never goes back).</summary>
    public int NextAtc => Volatile.Read(ref _nextAtc) + 1;

    /// <summary>Where unpredictable numbers (9F37) come from; a CSPRNG unless a test fixes them.</summary>
    internal Action<Span<byte>> UnpredictableNumbers { get; set; } = RandomNumberGenerator.Fill;

    /// <summary>True once all 65,535 ATC values are used.</summary>
    public bool IsExhausted => NextAtc > ushort.MaxValue;

    /// <summary>
    /// The next online authorisation request of this card: a fresh ATC, a random unpredictable number, its ARQC.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ATC is exhausted.</exception>
    public AuthorizationRequest NextRequest(long amount, int stan, DateTime localTime, string terminalId, string merchantId, string processingCode = "000000", string currency = "156")
    {
        int atc = Interlocked.Increment(ref _nextAtc);
        if (atc > ushort.MaxValue)
        {
            throw new InvalidOperationException($"Card {Pan[..6]}…{Pan[^4..]} has used every ATC.");
        }

        byte[] field55 = (byte[])_template.Clone();
        Put(field55, Amount, Bcd.FromNumber(amount, 6));
        Put(field55, Date, Convert.FromHexString(localTime.ToString("yyMMdd", CultureInfo.InvariantCulture)));
        Put(field55, TransactionType, [Convert.FromHexString(processingCode[..2])[0]]);
        Span<byte> unpredictable = stackalloc byte[4];
        UnpredictableNumbers(unpredictable);
        Put(field55, Unpredictable, unpredictable);
        Span<byte> atcBytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(atcBytes, (ushort)atc);
        Put(field55, Atc, atcBytes);

        Span<byte> input = stackalloc byte[37];
        int position = 0;
        foreach (uint tag in (ReadOnlySpan<uint>)[0x9F02, 0x9F03, 0x9F1A, 0x95, 0x5F2A, 0x9A, 0x9C, 0x9F37, 0x82, 0x9F36])
        {
            var (offset, length) = _values[new Tag(tag)];
            field55.AsSpan(offset, length).CopyTo(input[position..]);
            position += length;
        }

        var (iadOffset, _) = _values[Iad];
        field55.AsSpan(iadOffset + 3, 4).CopyTo(input[position..]);
        Span<byte> sessionKey = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        try
        {
            _suite.DeriveSessionKey(_udk, atcBytes, SessionKeyMethod.Pboc, sessionKey);
            var (arqcOffset, _) = _values[Arqc];
            _suite.GenerateAc(sessionKey, input, field55.AsSpan(arqcOffset, 8));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }

        return new AuthorizationRequest(Pan, Psn, amount, currency, processingCode, field55, terminalId, merchantId, stan, localTime);
    }

    /// <summary>A P1-shaped field 55 (NOTES F.2 order): CVR "ARQC requested", TVR zero, 9F33 E0F8C8, AIP 7C00.</summary>
    private static byte[] DefaultTemplate(AlgorithmSuite suite) => Hex.Parse(
        "9F2608" + "0000000000000000" + "9F270180" + "9F100807010103A00000" + suite.AlgorithmIdentifier.ToString("X2", CultureInfo.InvariantCulture) +
        "9F370400000000" + "9F36020000" + "95050000000000" + "9A03000000" + "9C0100" + "9F0206000000000000" + "5F2A020156" +
        "82027C00" + "9F1A020156" + "9F0306000000000000" + "9F3303E0F8C8");

    private static Dictionary<Tag, (int Offset, int Length)> IndexTemplate(byte[] template)
    {
        var values = new Dictionary<Tag, (int, int)>();
        int position = 0;
        while (position < template.Length)
        {
            if (!TlvDecoder.TryReadElement(template.AsSpan(position), out var tag, out int header, out int length, out var error))
            {
                throw new ArgumentException($"The field 55 template is not BER-TLV at offset {position} ({error}).", nameof(template));
            }

            values[tag] = (position + header, length);
            position += header + length;
        }

        foreach (var (tag, length) in new (uint, int)[] { (0x9F26, 8), (0x9F02, 6), (0x9F03, 6), (0x9F1A, 2), (0x95, 5), (0x5F2A, 2), (0x9A, 3), (0x9C, 1), (0x9F37, 4), (0x82, 2), (0x9F36, 2) })
        {
            if (!values.TryGetValue(new Tag(tag), out var found) || found.Item2 != length)
            {
                throw new ArgumentException($"The field 55 template needs {new Tag(tag)} of {length} bytes for the ARQC.", nameof(template));
            }
        }

        if (!values.TryGetValue(Iad, out var iad) || iad.Item2 < 8 || template[iad.Item1 + 3] != 0x03)
        {
            throw new ArgumentException("The field 55 template needs 9F10 in the P1 layout (07 DKI CVN 03 CVR algorithm).", nameof(template));
        }

        return values;
    }

    private void Put(byte[] field55, Tag tag, ReadOnlySpan<byte> value) => value.CopyTo(field55.AsSpan(_values[tag].Offset, _values[tag].Length));
}
