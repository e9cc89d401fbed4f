using Jinka.Core;
using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Matrix;

/// <summary>The algorithm suite: the shipped debit profile of each.</summary>
public enum Suite
{
    Intl,
    Sm,
}

/// <summary>The offline data authentication method the terminal ends up performing.</summary>
public enum Oda
{
    Sda,
    Dda,
    Cda,
}

/// <summary>What picks the ODA method (EMV Book 3 §10.3: the best one both card and terminal support).</summary>
public enum OdaBy
{
    /// <summary>The card's AIP offers nothing better (profile <c>oda</c>: SDA only, SDA+DDA, or all three); the terminal supports all.</summary>
    Card,

    /// <summary>The card offers SDA, DDA and CDA; the terminal's 9F33 byte 3 leaves out the better ones.</summary>
    Terminal,
}

/// <summary>The cardholder verification method: the only rule of the card's CVM list (condition "always", fail if unsuccessful).</summary>
public enum Cvm
{
    OfflinePlaintextPin,
    OfflineEncipheredPin,
    OnlinePin,
    Signature,
    NoCvm,
}

/// <summary>How the transaction ends.</summary>
public enum Outcome
{
    /// <summary>Above the floor limit; the issuer approves, the card accepts with a TC.</summary>
    OnlineApprove,

    /// <summary>The issuer declines with 51 (the amount is one more than the account holds); the card answers AAC.</summary>
    OnlineDecline,

    /// <summary>After one online transaction (the card is no longer new), an amount under the floor limit: TC at the first GENERATE AC.</summary>
    OfflineApprove,

    /// <summary>
    /// Declined without the issuer. The way depends on the CVM: offline PIN — three wrong PINs and ADA byte 1 b4 make
    /// the card answer AAC at the first GENERATE AC; signature — the PAN is on the terminal's exception file and
    /// TAC-Denial names that bit; no CVM — a terminal that cannot reach the host, an amount over the card's cumulative
    /// upper limit 9F5C: Y3, and the card declines by its limits.
    /// </summary>
    OfflineDecline,
}

/// <summary>How an <see cref="Outcome.OfflineDecline"/> comes about (derived from the CVM).</summary>
internal enum DeclineRoute
{
    None,
    CardAdaPinTryLimit,
    TerminalTacDenial,
    CardLimitsUnableToGoOnline,
}

/// <summary>One row of the matrix turned into a profile change, a terminal, a PIN pad and an amount.</summary>
internal sealed record MatrixScenario(Suite Suite, Oda Oda, OdaBy OdaBy, Cvm Cvm, Outcome Outcome)
{
    public const long OnlineAmount = 1234;
    public const long OfflineAmount = 1000;
    public const long OfflineFloorLimit = 10_000;

    /// <summary>Over 9F54 (50 000) and 9F5C (100 000) of the shipped debit profiles.</summary>
    public const long OverCardLimitsAmount = 150_000;

    public const string WrongPin = "000000";

    public string ProfileName => Suite == Suite.Intl ? "pboc-debit-intl" : "pboc-debit-sm";

    public DeclineRoute DeclineRoute => Outcome != Outcome.OfflineDecline ? DeclineRoute.None : Cvm switch
    {
        Cvm.OfflinePlaintextPin or Cvm.OfflineEncipheredPin => DeclineRoute.CardAdaPinTryLimit,
        Cvm.Signature => DeclineRoute.TerminalTacDenial,
        Cvm.NoCvm => DeclineRoute.CardLimitsUnableToGoOnline,
        _ => throw new InvalidOperationException($"no offline decline route for {Cvm}: online PIN always goes online"),
    };

    public bool IsOfflinePin => Cvm is Cvm.OfflinePlaintextPin or Cvm.OfflineEncipheredPin;

    /// <summary>The CVM code of the single CV rule (EMV Book 3 Annex C3).</summary>
    public byte CvmCode => Cvm switch
    {
        Cvm.OfflinePlaintextPin => 0x01,
        Cvm.OnlinePin => 0x02,
        Cvm.OfflineEncipheredPin => 0x04,
        Cvm.Signature => 0x1E,
        _ => 0x1F,
    };

    /// <summary>True when the transaction starts with an online warm-up so the card is no longer new (P10, P27).</summary>
    public bool NeedsWarmUp => Outcome == Outcome.OfflineApprove;

    public long Amount(long openingBalance) => Outcome switch
    {
        Outcome.OnlineDecline => openingBalance + 1,
        Outcome.OfflineApprove => OfflineAmount,
        Outcome.OfflineDecline when DeclineRoute == DeclineRoute.CardLimitsUnableToGoOnline => OverCardLimitsAmount,
        _ => OnlineAmount,
    };

    public bool TerminalHasHost => DeclineRoute != DeclineRoute.CardLimitsUnableToGoOnline;

    public CardProfile Adjust(CardProfile profile)
    {
        var methods = OdaBy == OdaBy.Terminal ? OdaMethods.Sda | OdaMethods.Dda | OdaMethods.Cda : Oda switch
        {
            Oda.Sda => OdaMethods.Sda,
            Oda.Dda => OdaMethods.Sda | OdaMethods.Dda,
            _ => OdaMethods.Sda | OdaMethods.Dda | OdaMethods.Cda,
        };
        var risk = profile.Risk;
        if (DeclineRoute == DeclineRoute.CardAdaPinTryLimit)
        {
            // ADA byte 1 b4: decline when the PIN try limit is exceeded in this transaction (choice P26).
            var ada = risk.ApplicationDefaultAction.ToArray();
            ada[0] |= 0x08;
            risk = risk with { ApplicationDefaultAction = ada };
        }

        return profile with
        {
            Oda = methods,
            CvmList = Hex.Parse($"00000000 00000000 {CvmCode:X2}00".Replace(" ", "", StringComparison.Ordinal)),
            Risk = risk,
        };
    }

    /// <summary>The terminal: the contract P48 defaults, with the ODA capabilities, floor limit and TAC-Denial of the row.</summary>
    public TerminalConfig Terminal(string pan, bool warmUp = false)
    {
        var config = new TerminalConfig();
        if (OdaBy == OdaBy.Terminal)
        {
            // 9F33 byte 3: b8 SDA, b7 DDA, b6 card capture, b4 CDA.
            byte oda = Oda switch { Oda.Sda => 0xA0, Oda.Dda => 0xE0, _ => 0xE8 };
            config = config with { Capabilities = [config.Capabilities[0], config.Capabilities[1], oda] };
        }

        if (warmUp)
        {
            return config;
        }

        return (Outcome, DeclineRoute) switch
        {
            (Outcome.OfflineApprove, _) => config with { FloorLimit = OfflineFloorLimit },
            (_, DeclineRoute.TerminalTacDenial) => config with
            {
                ExceptionFile = new HashSet<string> { pan },
                TacDenial = [0x10, .. config.TacDenial.AsSpan(1)],
            },
            (_, DeclineRoute.CardLimitsUnableToGoOnline) => config with { FloorLimit = 1_000_000 },
            _ => config,
        };
    }

    public IPinEntry PinPad(string pin) => DeclineRoute == DeclineRoute.CardAdaPinTryLimit
        ? PinEntry.Sequence(WrongPin, WrongPin, WrongPin, WrongPin)
        : PinEntry.Fixed(pin);

    public override string ToString() => $"{Suite} {Oda} (by {OdaBy}) {Cvm} {Outcome}";
}
