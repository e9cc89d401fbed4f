using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jinka.Core;

namespace Jinka.Card;

/// <summary>
/// An answer to reset (ISO/IEC 7816-3 §8): TS T0 [interface bytes] historical bytes [TCK].
/// </summary>
/// <remarks>
/// <para>The virtual card builds one of two EMV basic ATRs (EMV Book 1 §8.3), chosen by how it answers case-4
/// commands:</para>
/// <list type="bullet">
/// <item>T=1 (default, data returned directly): 3B E<i>K</i> 00 00 81 31 FE 45 <i>hist</i> TCK. TB1 = 00 (no VPP),
/// TC1 = 00 (no extra guard time), TD1 = 81 (T=1, TD2 follows), TD2 = 31 (T=1, TA3 and TB3 follow), TA3 = FE
/// (IFSC 254), TB3 = 45 (BWI 4, CWI 5). Because a protocol other than T=0 is offered, TCK is mandatory
/// (ISO/IEC 7816-3 §8.2.5): it makes the XOR of T0 … TCK zero.</item>
/// <item>T=0 (when the card answers 61xx and waits for GET RESPONSE): 3B 6<i>K</i> 00 00 <i>hist</i> — no TD1, so
/// T=0 is implied, and no TCK.</item>
/// </list>
/// <para>Announcing the protocol the card actually behaves as keeps a real PC/SC stack (vpcd) honest about how it
/// must talk to the card.</para>
/// <para>The default historical bytes (ISO/IEC 7816-4 §8.1.1, category 80 then COMPACT-TLV): 31 C0 (card service
/// data: selection by full and by partial DF name, card with MF), 73 D7 21 00 (card capabilities: selection by full
/// and partial DF name, FID, SFI, record number and record identifier; data coding 21; no chaining, no extended
/// lengths, no logical channels), 55 "JINKA" (card issuer's data), 81 05 (status: life cycle operational, activated).</para>
/// </remarks>
public sealed class AnswerToReset
{
    private readonly byte[] _bytes;
    private readonly byte[] _historical;

    private AnswerToReset(byte[] bytes, byte[] historical, IReadOnlyList<int> protocols, byte? tck)
    {
        _bytes = bytes;
        _historical = historical;
        Protocols = protocols;
        Tck = tck;
    }

    /// <summary>80 31C0 73D72100 55 4A494E4B41 8105 (15 bytes, see remarks).</summary>
    public static ReadOnlySpan<byte> DefaultHistoricalBytes =>
        [0x80, 0x31, 0xC0, 0x73, 0xD7, 0x21, 0x00, 0x55, 0x4A, 0x49, 0x4E, 0x4B, 0x41, 0x81, 0x05];

    public ReadOnlySpan<byte> Span => _bytes;

    public ReadOnlySpan<byte> HistoricalBytes => _historical;

    /// <summary>Protocols offered, in the order the TDi bytes name them (T=0 when no TD1).</summary>
    public IReadOnlyList<int> Protocols { get; }

    /// <summary>The check byte, or null when absent (T=0 only).</summary>
    public byte? Tck { get; }

    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>The EMV basic ATR for T=1 (or T=0 when <paramref name="t0"/>) with <paramref name="historicalBytes"/> (0–15 bytes).</summary>
    public static AnswerToReset Build(bool t0, ReadOnlySpan<byte> historicalBytes)
    {
        if (historicalBytes.Length > 15)
        {
            throw new ArgumentException($"an ATR carries at most 15 historical bytes, not {historicalBytes.Length}", nameof(historicalBytes));
        }

        var bytes = new List<byte> { 0x3B };
        int k = historicalBytes.Length;
        if (t0)
        {
            bytes.AddRange([(byte)(0x60 | k), 0x00, 0x00]);
            bytes.AddRange(historicalBytes.ToArray());
        }
        else
        {
            bytes.AddRange([(byte)(0xE0 | k), 0x00, 0x00, 0x81, 0x31, 0xFE, 0x45]);
            bytes.AddRange(historicalBytes.ToArray());
            byte tck = 0;
            for (int i = 1; i < bytes.Count; i++)
            {
                tck ^= bytes[i];
            }

            bytes.Add(tck);
        }

        return Parse(bytes.ToArray());
    }

    /// <exception cref="FormatException">Malformed; the message names the offset.</exception>
    public static AnswerToReset Parse(ReadOnlySpan<byte> atr)
        => TryParse(atr, out var parsed, out var error) ? parsed : throw new FormatException(error);

    /// <summary>Parses and checks an ATR: TS, the interface-byte chain, the historical byte count and TCK.</summary>
    public static bool TryParse(ReadOnlySpan<byte> atr, [NotNullWhen(true)] out AnswerToReset? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (atr.Length < 2)
        {
            error = $"ATR of {atr.Length} byte(s) is shorter than TS T0";
            return false;
        }

        if (atr[0] is not (0x3B or 0x3F))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"TS at offset 0 is {atr[0]:X2}, not 3B (direct) or 3F (inverse)");
            return false;
        }

        int k = atr[1] & 0x0F;
        int y = atr[1] >> 4;
        int pos = 2;
        var protocols = new List<int>();
        bool tckRequired = false;
        while (true)
        {
            pos += int.PopCount(y & 0x7);
            if ((y & 0x8) == 0)
            {
                break;
            }

            if (pos >= atr.Length)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"TD byte expected at offset {pos} but the ATR ends");
                return false;
            }

            byte td = atr[pos++];
            protocols.Add(td & 0x0F);
            tckRequired |= (td & 0x0F) != 0;
            y = td >> 4;
        }

        if (protocols.Count == 0)
        {
            protocols.Add(0);
        }

        int expected = pos + k + (tckRequired ? 1 : 0);
        if (atr.Length != expected)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"ATR is {atr.Length} bytes but its interface bytes, {k} historical bytes{(tckRequired ? " and TCK" : "")} make {expected}");
            return false;
        }

        byte? tck = null;
        if (tckRequired)
        {
            byte check = 0;
            foreach (byte b in atr[1..])
            {
                check ^= b;
            }

            if (check != 0)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"TCK at offset {atr.Length - 1} is {atr[^1]:X2}: the XOR of T0 … TCK is {check:X2}, not 00");
                return false;
            }

            tck = atr[^1];
        }

        parsed = new AnswerToReset(atr.ToArray(), atr.Slice(pos, k).ToArray(), protocols, tck);
        error = null;
        return true;
    }

    public override string ToString() => Hex.Encode(_bytes);
}
