using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jinka.Crypto;
using Jinka.Crypto.Emv;

namespace Jinka.Host.Issuing;

/// <summary>
/// A card as the issuer keys it: PAN digits (no F padding) and the PAN sequence number (5F34) as two digits.
/// <see cref="ToString"/> masks the PAN, so a <see cref="CardId"/> can go into logs as it is.
/// </summary>
public readonly record struct CardId
{
    private CardId(string pan, string psn)
    {
        Pan = pan;
        Psn = psn;
    }

    /// <summary>The PAN digits.</summary>
    public string Pan { get; }

    /// <summary>The PAN sequence number, two digits ("00" when the card has none).</summary>
    public string Psn { get; }

    /// <summary>5F34 as its byte (BCD, e.g. "01" → 0x01), the form key derivation takes.</summary>
    public byte PsnByte => byte.Parse(Psn, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The first 6 and last 4 PAN digits with the PSN, e.g. "622588******0001/00".</summary>
    public string Masked => $"{Pan[..6]}{new string('*', Pan.Length - 10)}{Pan[^4..]}/{Psn}";

    /// <summary>Validates and normalises a PAN (digits, trailing F padding dropped) and a PSN (1–2 digits, null or empty = "00").</summary>
    public static bool TryCreate(string? pan, string? psn, out CardId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (pan is null)
        {
            error = "The PAN is missing.";
            return false;
        }

        if (!EmvPan.TryValidate(pan, out int digits, out string? panError))
        {
            error = panError ?? "The PAN is malformed.";
            return false;
        }

        psn = string.IsNullOrEmpty(psn) ? "00" : psn;
        if (psn.Length > 2 || !psn.All(char.IsAsciiDigit))
        {
            error = $"PAN sequence number '{psn}' is not 1 or 2 decimal digits.";
            return false;
        }

        id = new CardId(pan[..digits], psn.PadLeft(2, '0'));
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/>, throwing.</summary>
    /// <exception cref="ArgumentException">The PAN or PSN is malformed.</exception>
    public static CardId Create(string pan, string? psn = "00") =>
        TryCreate(pan, psn, out var id, out string? error) ? id : throw new ArgumentException(error, nameof(pan));

    public override string ToString() => Pan is null ? "(none)" : Masked;
}

/// <summary>Whether the issuer lets a card transact.</summary>
public enum CardStatus
{
    /// <summary>Normal.</summary>
    Active,

    /// <summary>The card is blocked (lost, stolen, closed): declined with "62" (restricted card).</summary>
    Blocked,

    /// <summary>The debit/credit application is blocked at the issuer: declined with "57" (not permitted).</summary>
    ApplicationBlocked,
}

/// <summary>
/// The key store labels for a card's three keys: issuer master keys (MDK-AC/MAC/ENC, shared by many cards and
/// diversified with the card's PAN and PSN) or the card's own UDKs (usages CardAc/CardMac/CardEnc).
/// </summary>
public sealed record CardKeyLabels(string Ac, string Mac, string Enc)
{
    /// <summary>The labels a card keys file (<c>CardKeysFile</c>) imports a card's keys under: "card-{pan}-{psn}-ac" and so on.</summary>
    public static CardKeyLabels ForCard(CardId card, string prefix = "card") =>
        new($"{prefix}-{card.Pan}-{card.Psn}-ac", $"{prefix}-{card.Pan}-{card.Psn}-mac", $"{prefix}-{card.Pan}-{card.Psn}-enc");
}

/// <summary>One card in the issuer's registry.</summary>
/// <param name="Id">PAN and PSN.</param>
/// <param name="Suite">International (3DES, 9F10 algorithm 01) or SM (SM4, 04); cross-checked against 9F10.</param>
/// <param name="Keys">Where its keys are in the key store.</param>
/// <param name="AccountId">The account its transactions post to.</param>
public sealed record CardRecord(CardId Id, SuiteId Suite, CardKeyLabels Keys, string AccountId)
{
    public CardStatus Status { get; init; } = CardStatus.Active;

    /// <summary>How the card's keys are derived: PBOC (option A, PBOC session keys) unless the card says otherwise.</summary>
    public EmvKeyScheme KeyScheme { get; init; } = EmvKeyScheme.Pboc;

    /// <summary>How the issuer verifies an online PIN for this card (Visa PVV); null when it cannot (choice P52).</summary>
    public PinVerificationReference? PinVerification { get; init; }
}

/// <summary>
/// The issuer's reference for verifying a card's online PIN by the Visa PVV method (choice P51): the PIN verification
/// key's label, the key index and the card's 4-digit PVV. <see cref="ToString"/> leaves the PVV out.
/// </summary>
/// <param name="PvkLabel">The PVK in the key store (usage <c>KeyUsage.PinVerification</c>).</param>
/// <param name="Pvki">The PIN verification key index, 0–6.</param>
/// <param name="Pvv">The PIN verification value, 4 digits.</param>
public sealed record PinVerificationReference(string PvkLabel, int Pvki, string Pvv)
{
    /// <summary>Checks the PVKI (0–6) and the PVV (4 digits).</summary>
    public static bool IsValid(int pvki, string? pvv) =>
        pvki is >= 0 and <= 6 && pvv is { Length: 4 } && pvv.All(char.IsAsciiDigit);

    public override string ToString() => $"PVV reference under '{PvkLabel}', PVKI {Pvki}";
}
