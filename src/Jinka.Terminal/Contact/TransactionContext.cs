using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dictionary;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Contact.Oda;
using Jinka.Terminal.Contact.Selection;
using Jinka.Terminal.Pin;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contact;

/// <summary>Which offline data authentication the terminal chose (EMV Book 3 §10.3).</summary>
internal enum OdaMethod
{
    None,
    Sda,
    Dda,
    Cda,
}

/// <summary>
/// The one context the kernel's steps run over: the transaction's data elements (terminal, card and issuer, in one
/// <see cref="TlvDatabase"/>), TVR and TSI, the terminal's parameters, the card channel and the trace, plus what the
/// steps hand each other (candidates, static data for ODA, recovered keys, the terminal's decision, the host's answer).
/// </summary>
internal sealed class TransactionContext
{
    private readonly HashSet<Tag> _terminalTags = [];
    private readonly HashSet<Tag> _cardTags = [];

    public TransactionContext(
        TerminalConfig config,
        TransactionRequest request,
        CaPublicKeyStore caKeys,
        IAuthorizationClient? authorization,
        IPinEntry? pinEntry,
        ITerminalRandom random,
        DateTime transactionDateTime,
        CardChannel card,
        TransactionTrace trace)
    {
        Config = config;
        Request = request;
        CaKeys = caKeys;
        Authorization = authorization;
        PinEntry = pinEntry;
        Random = random;
        TransactionDateTime = transactionDateTime;
        Card = card;
        Trace = trace;
        UnpredictableNumber = new byte[4];
        random.NextBytes(UnpredictableNumber);
    }

    public TerminalConfig Config { get; }

    public TransactionRequest Request { get; }

    public CaPublicKeyStore CaKeys { get; }

    public IAuthorizationClient? Authorization { get; }

    public IPinEntry? PinEntry { get; }

    public ITerminalRandom Random { get; }

    public DateTime TransactionDateTime { get; }

    public DateOnly TransactionDate => DateOnly.FromDateTime(TransactionDateTime);

    /// <summary>9F37, drawn once per transaction.</summary>
    public byte[] UnpredictableNumber { get; }

    public CardChannel Card { get; }

    public TransactionTrace Trace { get; }

    /// <summary>The trace entry of the step now running.</summary>
    public TraceStep Step { get; set; } = new();

    public TlvDatabase Data { get; private set; } = new();

    public Tvr Tvr { get; private set; }

    public Tsi Tsi { get; private set; }

    // Application selection.
    public List<Candidate> Candidates { get; } = [];

    /// <summary>Why each application left out or dropped during selection was not used ("A000000333010101: application blocked (6283)").</summary>
    public List<string> Unusable { get; } = [];

    public Candidate? Application { get; private set; }

    // What the steps hand on.
    public byte[] PdolData { get; set; } = [];

    public byte[] Cdol1Data { get; set; } = [];

    public byte[] Cdol2Data { get; set; } = [];

    /// <summary>Static data to be authenticated (NOTES A.2: SFI 1–10 the contents of 70, SFI 11–30 whole records; then the AIP per 9F4A).</summary>
    public List<byte> StaticData { get; } = [];

    /// <summary>Why the static data cannot be authenticated (9F4A lists a tag other than 82), or null.</summary>
    public string? StaticDataProblem { get; set; }

    public OdaMethod OdaMethod { get; set; }

    public CardPublicKey? IssuerKey { get; set; }

    public CardPublicKey? IccKey { get; set; }

    /// <summary>True when the ICC key for CDA was recovered before GENERATE AC, so CDA is requested.</summary>
    public bool CdaReady { get; set; }

    public CvmResults? CvmResults { get; set; }

    public bool SignatureRequired { get; set; }

    public byte[]? OnlinePinBlock { get; set; }

    /// <summary>The cardholder bypassed PIN entry: later PIN CVMs count as bypassed too (EMV Book 3 §10.5.2).</summary>
    public bool PinBypassed { get; set; }

    /// <summary>The cryptogram terminal action analysis asked for.</summary>
    public CryptogramType Decision { get; set; }

    public AuthorizationRequest? AuthorizationRequest { get; set; }

    public AuthorizationResponse? AuthorizationResponse { get; set; }

    public TransactionAdvice? Advice { get; set; }

    public List<byte[]> ScriptResults { get; } = [];

    public bool HostApproved => AuthorizationResponse?.IsApproved == true;

    public ReadOnlySpan<byte> Aip => Data.TryGet(Tags.Aip, out var aip) && aip.Length == 2 ? aip : [0, 0];

    /// <summary>The PAN digits from 5A (F padding removed), or "" before the records are read.</summary>
    public string Pan => Data.TryGet(Tags.Pan, out var pan) ? Hex.Encode(pan).TrimEnd('F') : "";

    /// <summary>The first 5 bytes of the selected DF name.</summary>
    public ReadOnlySpan<byte> Rid => Data.TryGet(Tags.DfName, out var name) && name.Length >= 5 ? name[..5] : [];

    public void Set(TvrBit bit)
    {
        Tvr = Tvr.With(bit);
        Data.Set(Tags.Tvr, Tvr.ToArray());
    }

    public void Set(TsiBit bit)
    {
        Tsi = Tsi.With(bit);
        Data.Set(Tags.Tsi, Tsi.ToArray());
    }

    public void Note(string note) => Step.Notes.Add(note);

    public void Input(string name, string value) => Step.Inputs[name] = value;

    public void Output(string name, string value) => Step.Outputs[name] = value;

    public bool TryGet(Tag tag, out ReadOnlySpan<byte> value) => Data.TryGet(tag, out value);

    public byte[]? Get(Tag tag) => Data.TryGet(tag, out var value) ? value.ToArray() : null;

    /// <summary>Sets a terminal-sourced element; card data never overwrites it.</summary>
    public void SetTerminal(Tag tag, ReadOnlySpan<byte> value)
    {
        Data.Set(tag, value);
        _terminalTags.Add(tag);
    }

    /// <summary>Marks a tag the terminal will set later, so card data cannot supply it.</summary>
    public void ReserveTerminalTag(Tag tag) => _terminalTags.Add(tag);

    /// <summary>
    /// Starts over for a candidate (final selection, EMV Book 3 §10.1): fresh data with the terminal's elements,
    /// TVR and TSI cleared, and nothing left from an earlier candidate.
    /// </summary>
    public void BeginApplication(Candidate candidate)
    {
        Application = candidate;
        Data = new TlvDatabase();
        _terminalTags.Clear();
        _cardTags.Clear();
        StaticData.Clear();
        StaticDataProblem = null;
        PdolData = [];
        Tvr = Tvr.None;
        Tsi = Tsi.None;
        TerminalData.Seed(this, candidate.TerminalAid);
        Data.Set(Tags.Tvr, Tvr.ToArray());
        Data.Set(Tags.Tsi, Tsi.ToArray());
    }

    /// <summary>
    /// Stores data objects from GPO or a record (EMV Book 3 §10.2): a primitive object the card already returned
    /// ends the transaction; objects the terminal owns are ignored with a note.
    /// </summary>
    /// <exception cref="TlvException">The data is not BER-TLV.</exception>
    /// <exception cref="KernelTerminationException">The card returned a primitive data object twice.</exception>
    public void StoreCardData(ReadOnlySpan<byte> tlv, string source)
    {
        var parsed = new TlvDatabase();
        var merge = parsed.Merge(tlv);
        if (merge.HasDuplicates)
        {
            throw new KernelTerminationException($"{source} holds {Describe(merge.Duplicates[0])} twice (EMV Book 3 §10.2)");
        }

        foreach (var element in parsed)
        {
            if (_cardTags.Contains(element.Tag))
            {
                throw new KernelTerminationException($"the card returned {Describe(element.Tag)} again in {source} (EMV Book 3 §10.2)");
            }

            if (_terminalTags.Contains(element.Tag))
            {
                Note($"{source}: ignored {Describe(element.Tag)}, which the terminal supplies");
                continue;
            }

            Data.Set(element.Tag, element.Value.Span);
            _cardTags.Add(element.Tag);
        }
    }

    /// <summary>Stores the data objects of a GENERATE AC or INTERNAL AUTHENTICATE response, replacing earlier values.</summary>
    /// <exception cref="TlvException">The data is not BER-TLV.</exception>
    public void StoreCardResponse(ReadOnlySpan<byte> tlv)
    {
        var parsed = new TlvDatabase();
        parsed.Merge(tlv);
        foreach (var element in parsed)
        {
            if (!_terminalTags.Contains(element.Tag))
            {
                Data.Set(element.Tag, element.Value.Span);
            }
        }
    }

    /// <summary>"9F36 (Application Transaction Counter (ATC))".</summary>
    public static string Describe(Tag tag) => $"{tag} ({EmvDictionary.NameOf(tag)})";
}
