using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Card.Nvm;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>
/// What survives: the ATC, counters and log across power cycles and card images, and an atomic GENERATE AC (and GPO,
/// VERIFY, scripts) under a tear at every NVM write (DESIGN "Card persistence is transactional").
/// </summary>
public sealed class PbocPersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jinka-pboc-").FullName;

    public static TheoryData<SuiteId> Suites => new() { SuiteId.International, SuiteId.Sm };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [MemberData(nameof(Suites))]
    public void The_atc_goes_on_across_power_cycles_and_resets(SuiteId suite)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suite)) { InitialAtc = "0041" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn();
        terminal.Start(txn);
        Assert.Equal("9F36020042", Hex.Encode(terminal.Send("80CA9F3600").Data.Span));

        terminal.Card.PowerOff();
        terminal.Card.PowerOn();
        terminal.Start(txn);
        terminal.Card.Reset();
        terminal.Start(txn);
        Assert.Equal("9F36020044", Hex.Encode(terminal.Send("80CA9F3600").Data.Span));

        // A session's transaction does not survive: after a reset the second GENERATE AC has nothing to follow.
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
        terminal.Card.Reset();
        terminal.Select();
        Assert.Equal("6985", terminal.Sw(ApduCommands.GenerateAc(CryptogramType.Tc, PbocTestIssuer.Cdol2Data(txn))));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_saved_card_image_loads_with_its_atc_counters_log_and_keys(SuiteId suite)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suite)) { LastOnlineAtc = "0001" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn { Amount = "000000001500" };
        terminal.Start(txn);
        Assert.Equal(CryptogramType.Tc, terminal.FirstAc(CryptogramType.Tc, txn).Type);
        string path = Path.Combine(_directory, "pboc.json");
        CardImage.Save(terminal.Card, path);

        var loaded = CardImage.LoadCard(path, PbocApplication.AddTo(new ApplicationCatalog()), new VirtualCardOptions { Random = new CountingRandom() });
        loaded.PowerOn();
        var again = new PbocTerminal(loaded, issuer);
        again.Start(txn);
        Assert.Equal("9F36020002", Hex.Encode(again.Send("80CA9F3600").Data.Span));
        Assert.Equal(1u, loaded.Cell("state/offline-count"));
        Assert.Equal("9000", again.Sw("00B2015C00"));

        // The keys came along: the next AC still verifies.
        var tc = again.FirstAc(CryptogramType.Tc, txn);
        Assert.Equal(CryptogramType.Tc, tc.Type);
        Assert.Equal(Hex.Encode(again.ExpectedAc(PbocTestIssuer.Cdol1Data(txn), second: false, tc)), Hex.Encode(tc.Ac));
        Assert.Equal("0000000000000BB8", Hex.Encode(loaded.Bytes("state/offline-amount")!));
    }

    /// <summary>A command to tear, after the steps that bring the card to it (replayed on a copy of the issued card's NVM).</summary>
    public static TheoryData<string> TornCommands => new()
    {
        "GPO",
        "GAC1 offline TC",
        "GAC1 offline AAC",
        "GAC1 ARQC",
        "GAC2 TC after issuer authentication",
        "VERIFY wrong PIN",
        "EXTERNAL AUTHENTICATE wrong ARPC",
        "PUT DATA script",
    };

    [Theory]
    [MemberData(nameof(TornCommands))]
    public void A_tear_at_any_write_leaves_the_state_before_or_after_the_command(string command)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International) { LastOnlineAtc = "0001", InitialAtc = "0001" });
        var issued = issuer.IssueCard().Nvm.SnapshotCells();

        var (reference, _) = Trial(issuer, issued, command, tearAt: null);
        var before = reference.Before;
        var after = reference.After;
        Assert.NotEqual(before, after);
        Assert.True(reference.Writes > 2, $"{command}: {reference.Writes} writes");

        var outcomes = new HashSet<bool>();
        for (int tearAt = 1; tearAt <= reference.Writes; tearAt++)
        {
            foreach (bool during in new[] { false, true })
            {
                var (torn, card) = Trial(issuer, issued, command, tearAt, during);
                bool committed = torn.After == after;
                outcomes.Add(committed);
                Assert.True(committed || torn.After == before, $"{command}: tear at write {tearAt} (during: {during}) left a mixed state");

                // The card works on from whichever state survived.
                var terminal = new PbocTerminal(card, issuer);
                terminal.Start(new Txn());
                Assert.Equal(Convert.ToUInt32(committed ? Atc(after) : Atc(before), System.Globalization.CultureInfo.InvariantCulture) + 1, card.Cell("state/atc"));
            }
        }

        // Tears before the flip lose the command, tears after it keep it: both happened.
        Assert.Equal(2, outcomes.Count);
    }

    private static string Atc(string state) => state.Split(' ')[0].Split('=')[1];

    private sealed record Observed(string Before, string After, int Writes);

    /// <summary>Replays the steps to <paramref name="command"/> on a copy of the issued NVM, then runs it with a tear (or counting).</summary>
    private static (Observed Observed, VirtualCard Card) Trial(PbocTestIssuer issuer, IReadOnlyList<KeyValuePair<string, byte[]>> issued, string command, int? tearAt, bool during = false)
    {
        var card = new VirtualCard(PbocApplication.AddTo(new ApplicationCatalog()), new NvmMemory(issued), new VirtualCardOptions { Random = new CountingRandom() });
        card.PowerOn();
        var terminal = new PbocTerminal(card, issuer);
        var txn = command == "PUT DATA script" ? new Txn { Type = "60" } : new Txn();
        var run = Steps(terminal, txn, command);
        string before = Snapshot(card);

        var controller = tearAt is int at ? TearController.AtWrite(at, during) : TearController.Counting();
        card.Nvm.TearController = controller;
        try
        {
            run();
            Assert.Null(tearAt);
        }
        catch (Core.Transport.TransportException) when (tearAt is not null)
        {
            Assert.False(card.IsPowered);
        }

        card.Nvm.TearController = null;
        if (!card.IsPowered)
        {
            card.PowerOn();
        }

        return (new Observed(before, Snapshot(card), controller.WritesSeen), card);
    }

    private static Action Steps(PbocTerminal terminal, Txn txn, string command)
    {
        terminal.Select();
        if (command == "GPO")
        {
            return () => Assert.Equal("9000", terminal.Gpo(txn).StatusWord.ToString());
        }

        Assert.Equal("9000", terminal.Gpo(txn).StatusWord.ToString());
        switch (command)
        {
            case "GAC1 offline TC":
                return () => Assert.Equal(CryptogramType.Tc, terminal.FirstAc(CryptogramType.Tc, txn).Type);
            case "GAC1 offline AAC":
                return () => Assert.Equal(CryptogramType.Aac, terminal.FirstAc(CryptogramType.Aac, txn with { Tvr = "4000000000" }).Type);
            case "GAC1 ARQC":
                return () => Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
            case "VERIFY wrong PIN":
                return () => Assert.Equal("63C2", terminal.Sw("0020008008241111FFFFFFFFFF"));
        }

        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
        switch (command)
        {
            case "EXTERNAL AUTHENTICATE wrong ARPC":
                return () => Assert.Equal("6300", terminal.ExternalAuthenticate(corrupt: true).StatusWord.ToString());
            case "PUT DATA script":
                // An EC load (Q36): the balance may only change after the card's own TC for the load.
                Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
                Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, txn).Type);
                return () => Assert.Equal("9000", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000000500"))));
        }

        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        return () => Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, txn).Type);
    }

    /// <summary>The application's persistent state, every cell of it, ATC first (read without touching the session).</summary>
    private static string Snapshot(VirtualCard card)
    {
        string atc = card.Cell("state/atc").ToString(System.Globalization.CultureInfo.InvariantCulture);
        var cells = card.Nvm.SnapshotCells().Where(c => c.Key.StartsWith("apps/", StringComparison.Ordinal) || c.Key.StartsWith("registry/", StringComparison.Ordinal));
        return $"atc={atc} " + string.Join(";", cells.Select(c => c.Key + "=" + Hex.Encode(c.Value)));
    }
}
