using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;

namespace Jinka.Terminal.Tests.Fakes;

/// <summary>One issuer script command: the card's MAC is appended at authorisation time (contract P9).</summary>
internal sealed record ScriptCommand(byte Cla, byte Ins, byte P1, byte P2, string Data = "", bool CorruptMac = false);

/// <summary>An issuer script for template 71 or 72.</summary>
internal sealed record IssuerScript(byte Template, string ScriptId, params ScriptCommand[] Commands);

/// <summary>
/// An issuer for kernel tests: checks the ARQC in field 55 with the card's keys (NOTES A.5, contract P3), answers
/// with a response code, 91 = ARPC ‖ ARC (P8) and any scripts, or is unreachable. Records requests and advices.
/// </summary>
internal sealed class FakeIssuer(CardProfile profile) : IAuthorizationClient
{
    public string ResponseCode { get; set; } = "00";

    public bool Unreachable { get; set; }

    public bool SendArpc { get; set; } = true;

    public bool CorruptArpc { get; set; }

    public List<IssuerScript> Scripts { get; } = [];

    public List<AuthorizationRequest> Requests { get; } = [];

    public List<TransactionAdvice> Advices { get; } = [];

    /// <summary>Whether the last ARQC checked out.</summary>
    public bool? ArqcValid { get; private set; }

    public ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        if (Unreachable)
        {
            throw new OnlineException("connection refused");
        }

        var data = new TlvDatabase();
        data.Merge(request.IccData.Span);
        var suite = profile.AlgorithmSuite;
        var atc = data.Get(new Tag(0x9F36)).ToArray();
        var sessionKey = suite.DeriveSessionKey(suite.DeriveUdk(TestKeys.MdkAc, request.Pan, Convert.ToByte(request.PanSequenceNumber, 16)), atc);
        var iad = data.Get(new Tag(0x9F10));
        byte[] input =
        [
            .. data.Get(new Tag(0x9F02)), .. data.Get(new Tag(0x9F03)), .. data.Get(new Tag(0x9F1A)), .. data.Get(new Tag(0x95)),
            .. data.Get(new Tag(0x5F2A)), .. data.Get(new Tag(0x9A)), .. data.Get(new Tag(0x9C)), .. data.Get(new Tag(0x9F37)),
            .. data.Get(new Tag(0x82)), .. atc, .. iad[3..7],
        ];
        var arqc = data.Get(new Tag(0x9F26)).ToArray();
        ArqcValid = CryptographicOperations.FixedTimeEquals(suite.GenerateAc(sessionKey, input), arqc);
        string code = ArqcValid == true ? ResponseCode : "05";

        using var writer = new TlvWriter();
        var arc = System.Text.Encoding.ASCII.GetBytes(code);
        if (SendArpc)
        {
            var arpc = suite.Arpc1(sessionKey, arqc, arc);
            if (CorruptArpc)
            {
                arpc[0] ^= 0xFF;
            }

            writer.WritePrimitive(new Tag(0x91), [.. arpc, .. arc]);
        }

        var macKey = suite.DeriveSessionKey(suite.DeriveUdk(TestKeys.MdkMac, request.Pan, Convert.ToByte(request.PanSequenceNumber, 16)), atc);
        foreach (var script in Scripts)
        {
            using (writer.PushConstructed(new Tag(script.Template)))
            {
                writer.WritePrimitive(new Tag(0x9F18), Hex.Parse(script.ScriptId));
                foreach (var command in script.Commands)
                {
                    var body = Hex.Parse(command.Data);
                    byte lc = (byte)(body.Length + 4);
                    var mac = suite.ScriptMac(macKey, [command.Cla, command.Ins, command.P1, command.P2, lc, .. atc, .. arqc, .. body]);
                    if (command.CorruptMac)
                    {
                        mac[0] ^= 0xFF;
                    }

                    writer.WritePrimitive(new Tag(0x86), [command.Cla, command.Ins, command.P1, command.P2, lc, .. body, .. mac]);
                }
            }
        }

        return ValueTask.FromResult(new AuthorizationResponse(code, writer.ToArray()) { ApprovalCode = code == "00" ? "123456" : null });
    }

    public ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default)
    {
        Advices.Add(advice);
        return ValueTask.CompletedTask;
    }
}
