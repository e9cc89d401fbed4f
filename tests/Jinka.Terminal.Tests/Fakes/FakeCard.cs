using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;

namespace Jinka.Terminal.Tests.Fakes;

/// <summary>
/// A PBOC debit/credit card for kernel tests that answers as the contract (docs/spec-choices.md P1–P12 and P39–P48) says:
/// selection, GPO, records, GET DATA, INTERNAL AUTHENTICATE, GET CHALLENGE, VERIFY (plaintext and enciphered),
/// GENERATE AC with real ACs and CDA signatures, EXTERNAL AUTHENTICATE checking the ARPC, and MAC-checked scripts.
/// Hooks let a test answer garbage or pull the card out.
/// </summary>
internal sealed partial class FakeCard : IApduTransport
{
    private readonly Random _random = new(7);
    private readonly List<(string Aid, string Label, byte? Priority, bool Blocked, bool RefuseGpo, bool Main)> _applications = [];
    private string? _selected;
    private int _lastSelected = -1;
    private byte[]? _pdolData;
    private byte[]? _cdol1Data;
    private byte[]? _challenge;
    private byte[]? _arqc;
    private bool _firstGacDone;
    private bool _secondGacDone;
    private byte _firstCvrBits;

    public FakeCard(CardProfile profile)
    {
        Profile = profile;
        Data = new CardPersonalisation(profile);
        PinTriesLeft = profile.PinTries;
        _applications.Add((profile.Aid, profile.Label, profile.Priority, profile.Blocked, profile.RefuseGpo, true));
        foreach (var other in profile.OtherApplications)
        {
            _applications.Add((other.Aid, other.Label, other.Priority, other.Blocked, other.RefuseGpo, false));
        }
    }

    public CardProfile Profile { get; }

    public CardPersonalisation Data { get; }

    /// <summary>Every command received, in order.</summary>
    public List<CommandApdu> Commands { get; } = [];

    /// <summary>Given a command and its 0-based number, a response to give instead (null: answer normally).</summary>
    public Func<CommandApdu, int, ResponseApdu?>? Override { get; set; }

    /// <summary>Throw a <see cref="TransportException"/> (card removed) at this 0-based command number.</summary>
    public int? DisappearAt { get; set; }

    public int PinTriesLeft { get; private set; }

    public bool IssuerAuthenticated { get; private set; }

    public List<string> ScriptsApplied { get; } = [];

    /// <summary>The cryptograms returned, in order (type, AC).</summary>
    public List<(CryptogramType Type, byte[] Cryptogram)> Cryptograms { get; } = [];

    public ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        int number = Commands.Count;
        Commands.Add(command);
        if (DisappearAt == number)
        {
            throw new TransportException(TransportFailure.CardRemoved, "the card was removed");
        }

        var response = Override?.Invoke(command, number) ?? Answer(command);
        return ValueTask.FromResult(response);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ResponseApdu Answer(CommandApdu command) => (command.Cla & 0xF0, command.Ins) switch
    {
        (0x00, 0xA4) => Select(command),
        (0x00, 0xB2) => ReadRecord(command),
        (0x80, 0xA8) => GetProcessingOptions(command),
        (0x80, 0xCA) => GetData(command),
        (0x00, 0x88) => InternalAuthenticate(command),
        (0x00, 0x84) => GetChallenge(),
        (0x00, 0x20) => Verify(command),
        (0x80, 0xAE) => GenerateAc(command),
        (0x00, 0x82) => ExternalAuthenticate(command),
        (0x80 or 0x00, 0x1E or 0x18 or 0x16 or 0x24 or 0xDA or 0xDC) => Script(command),
        _ => Status(0x6D00),
    };

    private ResponseApdu Select(CommandApdu command)
    {
        var name = command.Data.Span;
        if (name.SequenceEqual(ApduCommands.Pse))
        {
            _selected = null;
            if (!Profile.HasPse)
            {
                return Status(0x6A82);
            }

            if (Profile.PseStatus is ushort status)
            {
                return Status(status);
            }

            _selected = "PSE";
            return Ok(Data.PseFci());
        }

        int start = command.P2 == 0x02 ? _lastSelected + 1 : 0;
        for (int i = start; i < _applications.Count; i++)
        {
            var app = _applications[i];
            if (!Hex.Parse(app.Aid).AsSpan().StartsWith(name))
            {
                continue;
            }

            _lastSelected = i;
            _selected = app.Aid;
            _firstGacDone = _secondGacDone = false;
            var fci = Data.ApplicationFci(app.Aid, app.Label, app.Priority, app.Main ? Profile.Pdol : "");
            return new ResponseApdu(fci, new StatusWord(app.Blocked ? (ushort)0x6283 : (ushort)0x9000));
        }

        return Status(0x6A82);
    }

    private ResponseApdu ReadRecord(CommandApdu command)
    {
        int sfi = command.P2 >> 3;
        if (_selected == "PSE")
        {
            return sfi == 1 && command.P1 == 1
                ? Ok(Data.DirectoryRecord(_applications.Select(a => (a.Aid, a.Label, a.Priority))))
                : Status(0x6A83);
        }

        return _selected == Profile.Aid && Data.Records.TryGetValue((sfi, command.P1), out var record) ? Ok(record) : Status(0x6A83);
    }

    private ResponseApdu GetProcessingOptions(CommandApdu command)
    {
        var app = _applications.Find(a => a.Aid == _selected);
        if (app.Aid is null || app.RefuseGpo)
        {
            return Status(0x6985);
        }

        var data = command.Data.Span;
        int expected = Dol.Parse(Hex.Parse(Profile.Pdol)).DataLength;
        if (data.Length < 2 || data[0] != 0x83 || data[1] != expected || data.Length != 2 + expected)
        {
            return Status(0x6700);
        }

        _pdolData = data[2..].ToArray();
        return Ok([0x80, (byte)(2 + Data.Afl.Length), .. Data.Aip, .. Data.Afl]);
    }

    private ResponseApdu GetData(CommandApdu command)
    {
        int tag = (command.P1 << 8) | command.P2;
        if (tag is 0x9F36 or 0x9F13 && Profile.VelocityDataStatus is ushort status)
        {
            return Status(status);
        }

        return tag switch
        {
            0x9F17 => Ok([0x9F, 0x17, 0x01, (byte)PinTriesLeft]),
            0x9F36 => Ok([0x9F, 0x36, 0x02, (byte)(Profile.Atc >> 8), (byte)Profile.Atc]),
            0x9F13 => Ok([0x9F, 0x13, 0x02, (byte)(Profile.LastOnlineAtc >> 8), (byte)Profile.LastOnlineAtc]),
            _ => Status(0x6A88),
        };
    }

    private ResponseApdu GetChallenge()
    {
        _challenge = new byte[8];
        _random.NextBytes(_challenge);
        return Ok(_challenge);
    }

    private static ResponseApdu Ok(byte[] data) => new(data, StatusWord.Success);

    private static ResponseApdu Status(ushort value) => new(new StatusWord(value));

    private static byte[] Tlv(string tag, ReadOnlySpan<byte> value)
    {
        using var writer = new TlvWriter();
        var parsed = Tag.Parse(tag);
        if (parsed.IsConstructed)
        {
            writer.WriteConstructed(parsed, value);
        }
        else
        {
            writer.WritePrimitive(parsed, value);
        }

        return writer.ToArray();
    }
}
