using Jinka.Core;
using System.Buffers.Binary;
using Jinka.Card.Nvm;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications.Pboc;

/// <summary>Where a PBOC debit/credit application keeps its transaction: the phases of its command table (STYLE "Card
/// applications as explicit state machines"). The zero value is the phase right after SELECT.</summary>
public enum PbocPhase
{
    /// <summary>Selected; GET PROCESSING OPTIONS starts a transaction.</summary>
    Selected,

    /// <summary>After GPO: READ RECORD, INTERNAL AUTHENTICATE, VERIFY, the first GENERATE AC.</summary>
    Initiated,

    /// <summary>The first GENERATE AC answered an ARQC: EXTERNAL AUTHENTICATE, template 71 scripts, the second GENERATE AC.</summary>
    Online,

    /// <summary>The second GENERATE AC is done: template 72 scripts.</summary>
    Completed,

    /// <summary>The first GENERATE AC answered a TC or an AAC: the transaction is over and had no ARQC.</summary>
    CompletedOffline,
}

/// <summary>Conditions a transaction leaves for the next ones (persistent; reported in CVR byte 2 and 3, contract P2).</summary>
[Flags]
internal enum PbocFlags : byte
{
    None = 0,

    /// <summary>An ARQC was answered and no second GENERATE AC followed.</summary>
    LastOnlineNotCompleted = 0x01,

    /// <summary>EXTERNAL AUTHENTICATE failed in the last online transaction.</summary>
    IssuerAuthenticationFailed = 0x02,

    /// <summary>The last online transaction completed without EXTERNAL AUTHENTICATE.</summary>
    IssuerAuthenticationNotPerformed = 0x04,

    /// <summary>The terminal reported SDA failed (TVR byte 1 b7) in the last offline-declined transaction.</summary>
    SdaFailedOnDecline = 0x08,

    /// <summary>The terminal reported DDA or CDA failed (TVR byte 1 b4/b3) in the last offline-declined transaction.</summary>
    DdaFailedOnDecline = 0x10,

    /// <summary>An issuer script command failed in the last online transaction.</summary>
    ScriptFailed = 0x20,
}

/// <summary>The cryptogram types of GENERATE AC in the EMV order of strength (Book 3 §6.5.5.4, table 13): a card may answer the
/// type asked for or a weaker one, never a stronger one.</summary>
internal enum CryptogramKind : byte
{
    Aac = 0,
    Arqc = 1,
    Tc = 2,
}

/// <summary>Names of the application's NVM cells (relative to its store) and file layout.</summary>
internal static class PbocCells
{
    public const string Suite = "suite";
    public const string Keys = "keys/udk";
    public const string KeyCheckValues = "keys/kcv";
    public const string RsaPrefix = "icc/rsa/";
    public const string Sm2Key = "icc/sm2/d";
    public const string PinBlock = "pin/block";
    public const string PinLimit = "pin/limit";
    public const string PinTries = "pin/tries";
    public const string Aip = "gpo/aip";
    public const string Afl = "gpo/afl";
    public const string Pdol = "gpo/pdol";
    public const string ContactlessFci = "gpo/contactless-fci";
    public const string QpbocAip = "qpboc/aip";
    public const string QpbocAfl = "qpboc/afl";
    public const string IadFixedPart = "gac/iad";
    public const string Cdol1 = "gac/cdol1";
    public const string Cdol2 = "gac/cdol2";
    public const string LogEntry = "log/entry";
    public const string LogFormat = "log/format";
    public const string DataPrefix = "data/";
    public const string OtherDgiPrefix = "dgi/";
    public const string Atc = "state/atc";
    public const string LastOnlineAtc = "state/last-online-atc";
    public const string OfflineCount = "state/offline-count";
    public const string OfflineAmount = "state/offline-amount";
    public const string Flags = "state/flags";
    public const string ScriptCount = "state/script-count";

    /// <summary>The cell of an internal data object (DGI 0D01/0E01), e.g. "data/9F58".</summary>
    public static string Data(Tag tag) => DataPrefix + tag;
}

/// <summary>
/// Typed access to the application's persistent state (ATC, counters, flags, personalised parameters) inside the
/// current command's NVM transaction: every write is part of that command's atomic commit.
/// </summary>
internal readonly struct PbocStore(PersistentStore store)
{
    public PersistentStore Raw => store;

    public ushort Atc
    {
        get => (ushort)store.GetUInt(PbocCells.Atc);
        set => store.SetUInt(PbocCells.Atc, value, 2);
    }

    public ushort LastOnlineAtc
    {
        get => (ushort)store.GetUInt(PbocCells.LastOnlineAtc);
        set => store.SetUInt(PbocCells.LastOnlineAtc, value, 2);
    }

    /// <summary>Offline approvals since the last online transaction with the issuer.</summary>
    public int OfflineCount
    {
        get => (int)store.GetUInt(PbocCells.OfflineCount);
        set => store.SetUInt(PbocCells.OfflineCount, (uint)Math.Min(value, ushort.MaxValue), 2);
    }

    /// <summary>The amount approved offline since then, in the currency's minor unit.</summary>
    public ulong OfflineAmount
    {
        get => store.Get(PbocCells.OfflineAmount) is { Length: 8 } bytes ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : 0;
        set
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
            store.Set(PbocCells.OfflineAmount, bytes);
        }
    }

    public PbocFlags Flags
    {
        get => (PbocFlags)store.GetUInt(PbocCells.Flags);
        set => store.SetUInt(PbocCells.Flags, (byte)value, 1);
    }

    /// <summary>Issuer script commands with secure messaging processed in the last online transaction (0–15).</summary>
    public int ScriptCount
    {
        get => (int)store.GetUInt(PbocCells.ScriptCount);
        set => store.SetUInt(PbocCells.ScriptCount, (uint)Math.Clamp(value, 0, 15), 1);
    }

    public int PinTries
    {
        get => (int)store.GetUInt(PbocCells.PinTries);
        set => store.SetUInt(PbocCells.PinTries, (uint)value, 1);
    }

    public int PinLimit => (int)store.GetUInt(PbocCells.PinLimit);

    public bool HasPin => store.Contains(PbocCells.PinBlock);

    /// <summary>An internal data object's value (DGI 0D01/0E01), or null.</summary>
    public byte[]? Data(Tag tag) => store.Get(PbocCells.Data(tag));

    /// <summary>A one-byte parameter (e.g. 9F58), or <paramref name="absent"/>.</summary>
    public int DataByte(Tag tag, int absent) => Data(tag) is { Length: 1 } value ? value[0] : absent;

    /// <summary>An n12 amount parameter (e.g. 9F54) in minor units, or <paramref name="absent"/>.</summary>
    public ulong DataAmount(Tag tag, ulong absent)
        => Data(tag) is { } value && Bcd.TryToNumber(value, out long amount) ? (ulong)amount : absent;

    /// <summary>Sets or clears <paramref name="flags"/>.</summary>
    public void Set(PbocFlags flags, bool on) => Flags = on ? Flags | flags : Flags & ~flags;
}

/// <summary>
/// The current transaction, in the session (volatile: gone at SELECT, reset and power loss): the data the terminal
/// sent (for CDA and the log), the ARQC outstanding, and this transaction's CVR bits.
/// </summary>
internal sealed class PbocSession
{
    public byte[] PdolData { get; set; } = [];

    public byte[] Cdol1Data { get; set; } = [];

    /// <summary>The persistent flags as they were at GPO (what CVR byte 2 reports about earlier transactions).</summary>
    public PbocFlags FlagsAtStart { get; set; }

    public bool NewCard { get; set; }

    public bool PinLimitExceededAtStart { get; set; }

    public bool PinLimitExceededNow { get; set; }

    public bool OfflinePinPerformed { get; set; }

    public bool OfflinePinFailed { get; set; }

    public bool DdaPerformed { get; set; }

    public bool VelocityExceeded { get; set; }

    public bool UnableToGoOnline { get; set; }

    public CryptogramKind FirstCryptogram { get; set; }

    /// <summary>The ARQC of the first GENERATE AC (script MACs and ARPC are over it), or null.</summary>
    public byte[]? Arqc { get; set; }

    /// <summary>EXTERNAL AUTHENTICATE was received (once per transaction).</summary>
    public bool IssuerAuthenticationPerformed { get; set; }

    public bool IssuerAuthenticationPassed { get; set; }

    public bool IssuerAuthenticationFailed => IssuerAuthenticationPerformed && !IssuerAuthenticationPassed;

    /// <summary>Q38: <c>70 { 9F4B }</c> of this session's qPBOC offline approval, when the signature did not fit the GPO response.</summary>
    public byte[]? FddaRecord { get; set; }

    /// <summary>This transaction is an EC load (CDOL1 9C = 60/62/63 on a card with 9F79, choice Q36).</summary>
    public bool EcLoad { get; set; }

    /// <summary>The EC load was approved by the card's 2nd GENERATE AC (TC): PUT DATA 9F79 may now set the new balance.</summary>
    public bool EcLoadAuthorised { get; set; }
}


