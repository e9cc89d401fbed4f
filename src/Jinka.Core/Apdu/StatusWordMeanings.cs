using System.Collections.Frozen;
using System.Globalization;

namespace Jinka.Core.Apdu;

/// <summary>English meanings of status words: exact values first, then the ranges ISO/IEC 7816-4 defines.</summary>
internal static class StatusWordMeanings
{
    // ISO/IEC 7816-4 §5.6 tables 5–6, EMV Book 3 §6.3.5 / Book 1 §11, GlobalPlatform Card Specification §11,
    // PBOC ED/EP status words (JR/T 0025 purse part, as listed in NOTES B.3).
    private static readonly FrozenDictionary<ushort, string> s_exact = new Dictionary<ushort, string>
    {
        [0x9000] = "success",
        [0x6200] = "warning: no information given, memory unchanged",
        [0x6281] = "warning: part of the returned data may be corrupted",
        [0x6282] = "warning: end of file or record reached before Ne bytes were read",
        [0x6283] = "warning: selected file invalidated (EMV: application blocked)",
        [0x6284] = "warning: FCI not formatted as specified",
        [0x6285] = "warning: selected file in termination state",
        [0x6300] = "warning: authentication failed (no further information)",
        [0x6310] = "warning: more data available (GlobalPlatform GET STATUS)",
        [0x6381] = "warning: file filled up by the last write",
        [0x6400] = "execution error: memory unchanged",
        [0x6401] = "execution error: immediate response required by the card",
        [0x6500] = "execution error: memory changed (no further information)",
        [0x6581] = "execution error: memory failure",
        [0x6700] = "wrong length (Lc or Le)",
        [0x6800] = "function in CLA not supported",
        [0x6881] = "logical channel not supported",
        [0x6882] = "secure messaging not supported",
        [0x6883] = "last command of the chain expected",
        [0x6884] = "command chaining not supported",
        [0x6900] = "command not allowed (no further information)",
        [0x6981] = "command incompatible with the file structure",
        [0x6982] = "security status not satisfied",
        [0x6983] = "authentication method blocked (PIN or key blocked)",
        [0x6984] = "reference data not usable (e.g. challenge missing or used)",
        [0x6985] = "conditions of use not satisfied",
        [0x6986] = "command not allowed (no current EF)",
        [0x6987] = "expected secure messaging data objects missing (PBOC: MAC missing)",
        [0x6988] = "incorrect secure messaging data objects (PBOC: MAC wrong)",
        [0x6A00] = "wrong parameters P1-P2 (no further information)",
        [0x6A80] = "incorrect parameters in the data field",
        [0x6A81] = "function not supported (EMV: card or application blocked)",
        [0x6A82] = "file or application not found",
        [0x6A83] = "record not found",
        [0x6A84] = "not enough memory space in the file",
        [0x6A85] = "Nc inconsistent with the TLV structure",
        [0x6A86] = "incorrect parameters P1-P2",
        [0x6A87] = "Nc inconsistent with P1-P2",
        [0x6A88] = "referenced data or reference data not found",
        [0x6A89] = "file already exists",
        [0x6A8A] = "DF name already exists",
        [0x6B00] = "wrong parameters P1-P2",
        [0x6D00] = "instruction code not supported or invalid",
        [0x6E00] = "class not supported",
        [0x6F00] = "no precise diagnosis",
        [0x9302] = "MAC invalid (PBOC ED/EP)",
        [0x9303] = "application permanently locked (PBOC ED/EP)",
        [0x9401] = "insufficient balance (PBOC ED/EP)",
        [0x9402] = "transaction counter at maximum (PBOC ED/EP)",
        [0x9403] = "key index not supported (PBOC ED/EP)",
        [0x9406] = "required MAC not available (PBOC ED/EP)",
        [0x9484] = "algorithm not supported (GlobalPlatform)",
        [0x9485] = "invalid key check value (GlobalPlatform)",
    }.ToFrozenDictionary();

    public static string Describe(StatusWord sw)
    {
        if (s_exact.TryGetValue(sw.Value, out var meaning))
        {
            return meaning;
        }

        if (sw.BytesAvailable is int available)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{available} more bytes available (send GET RESPONSE)");
        }

        if (sw.CorrectLength is int exact)
        {
            return string.Create(CultureInfo.InvariantCulture, $"wrong Le, exact length {exact}");
        }

        if (sw.RetriesLeft is int tries)
        {
            return string.Create(CultureInfo.InvariantCulture, $"verification failed, {tries} {(tries == 1 ? "try" : "tries")} left");
        }

        return sw.Sw1 switch
        {
            0x62 => "warning: memory unchanged",
            0x63 => "warning: memory changed",
            0x64 => "execution error: memory unchanged",
            0x65 => "execution error: memory changed",
            0x66 => "security-related issue",
            0x67 => "wrong length",
            0x68 => "function in CLA not supported",
            0x69 => "command not allowed",
            0x6A => "wrong parameters P1-P2",
            0x6B => "wrong parameters P1-P2",
            0x6D => "instruction code not supported or invalid",
            0x6E => "class not supported",
            0x6F => "no precise diagnosis",
            0x90 => "proprietary success variant",
            >= 0x91 and <= 0x9F => "proprietary (application-specific) status",
            _ => "unknown status word",
        };
    }
}
