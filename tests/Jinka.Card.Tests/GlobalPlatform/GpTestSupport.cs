using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto.GlobalPlatform;
using Jinka.Testing;

namespace Jinka.Card.Tests.GlobalPlatform;

/// <summary>Card randoms from a script (e.g. the card challenge of vector V8), then 01 02 03 ….</summary>
internal sealed class ScriptedRandom : ICardRandom
{
    private readonly Queue<byte> _script = new();
    private byte _next = 1;

    public void Enqueue(string hex)
    {
        foreach (byte b in Hex.Parse(hex))
        {
            _script.Enqueue(b);
        }
    }

    public void Fill(Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _script.Count > 0 ? _script.Dequeue() : _next++;
        }
    }
}

/// <summary>Cards with an issuer security domain, and the host side of SCP02 to talk to them.</summary>
internal static class GpCards
{
    public static readonly Aid Isd = IssuerSecurityDomain.DefaultAid;

    /// <summary>The application instance INSTALL creates in the tests (module "jinka.pboc" = the recording application).</summary>
    public static readonly Aid Pboc = Aid.Parse("A000000333010101");

    public static ApplicationCatalog Catalog() => IssuerSecurityDomain.Register(
        new ApplicationCatalog().Add(ExecutableModuleTable.PbocModuleName, aid => new RecordingApplication(aid)));

    /// <summary>A card with the ISD (default test keys, D13), powered, the ISD selected.</summary>
    public static VirtualCard WithIsd(ScriptedRandom? random = null)
    {
        var card = new VirtualCard(Catalog(), options: new VirtualCardOptions { Random = random ?? new ScriptedRandom() });
        card.PowerOn();
        IssuerSecurityDomain.InstallOn(card);
        Assert.Equal(StatusWord.Success, card.Select(Isd).StatusWord);
        return card;
    }

    /// <summary>The INSTALL [for install and make selectable] command for the PBOC module at <see cref="Pboc"/>.</summary>
    public static CommandApdu InstallPboc(Aid? instance = null, ApplicationInstallParameters? parameters = null) =>
        new(0x80, 0xE6, 0x0C, 0x00, InstallData.ForInstall(ExecutableModuleTable.PbocLoadFile, ExecutableModuleTable.PbocModule, instance ?? Pboc, ApplicationPrivileges.None, parameters).Encode(), 256);

    public static CommandApdu InstallForPersonalization(Aid aid) => new(0x80, 0xE6, 0x20, 0x00, InstallData.ForPersonalization(aid).Encode(), 256);

    public static CommandApdu StoreData(byte p1, byte block, ReadOnlySpan<byte> data) => new(0x80, 0xE2, p1, block, data);
}

/// <summary>The host side of one SCP02 channel (Jinka.Crypto's <see cref="Scp02Session"/>), talking to a card.</summary>
internal sealed class GpHost : IDisposable
{
    private GpHost(VirtualCard card, Scp02Session session, byte[] initializeUpdateResponse)
    {
        Card = card;
        Session = session;
        InitializeUpdateResponse = initializeUpdateResponse;
    }

    public VirtualCard Card { get; }

    public Scp02Session Session { get; }

    public byte[] InitializeUpdateResponse { get; }

    public byte[] SequenceCounter => InitializeUpdateResponse[12..14];

    /// <summary>INITIALIZE UPDATE (checking the card cryptogram) and EXTERNAL AUTHENTICATE at <paramref name="level"/>; asserts both succeed.</summary>
    public static GpHost Open(VirtualCard card, Scp02SecurityLevel level = Scp02SecurityLevel.CMac, string hostChallenge = "0102030405060708", byte[]? key = null)
    {
        var host = Initialize(card, hostChallenge, key);
        var response = host.Authenticate(level);
        Assert.Equal(StatusWord.Success, response.StatusWord);
        return host;
    }

    /// <summary>INITIALIZE UPDATE only.</summary>
    public static GpHost Initialize(VirtualCard card, string hostChallenge = "0102030405060708", byte[]? key = null)
    {
        var challenge = Hex.Parse(hostChallenge);
        var response = card.Process(new CommandApdu(0x80, 0x50, 0x00, 0x00, challenge, 256));
        Assert.Equal(StatusWord.Success, response.StatusWord);
        var data = response.Data.ToArray();
        Assert.Equal(28, data.Length);
        key ??= IssuerSecurityDomain.DefaultTestKey.ToArray();
        var session = new Scp02Session(key, key, key, data.AsSpan(12, 2));
        Assert.True(session.VerifyCardCryptogram(challenge, data.AsSpan(14, 6), data.AsSpan(20, 8)), "card cryptogram");
        return new GpHost(card, session, data) { HostChallenge = challenge };
    }

    public byte[] HostChallenge { get; private init; } = [];

    public byte[] CardChallenge => InitializeUpdateResponse[14..20];

    public ResponseApdu Authenticate(Scp02SecurityLevel level) =>
        Card.Process(CommandApdu.Parse(Session.BuildExternalAuthenticate(HostChallenge, CardChallenge, level)));

    /// <summary>Wraps <paramref name="plain"/> at the channel's level and sends it.</summary>
    public ResponseApdu Send(CommandApdu plain) => Card.Process(CommandApdu.Parse(Session.Wrap(plain.ToArray())));

    public string Sw(CommandApdu plain) => Send(plain).StatusWord.ToString();

    public void Dispose() => Session.Dispose();
}
