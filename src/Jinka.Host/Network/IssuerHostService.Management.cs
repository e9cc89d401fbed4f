using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Host.Network;

/// <summary>Sign-on (0800) and settlement (0500).</summary>
public sealed partial class IssuerHostService
{
    /// <summary>
    /// New PIK and MAK (double-length 3DES) for the terminal, sent in field 62 under its TMK with check values; the
    /// previous ones stop working. "03" when the host has no master key for the terminal.
    /// </summary>
    private CupPosReply SignOn(CupPosRequest request)
    {
        var message = request.Message;
        string? terminal = message.TerminalId;
        if (terminal is not { Length: 8 })
        {
            Log(request, "sign-on answered 30: no terminal ID");
            return Answer(message, CupPosCodes.FormatError, mac: false);
        }

        string master = TerminalKeyLabels.Master(terminal);
        if (!_keys.TryGetInfo(master, out _))
        {
            if (!_options.TestTerminalMasterKeys)
            {
                Log(request, "sign-on answered 03: no master key for this terminal");
                return Answer(message, "03", mac: false);
            }

            try
            {
                ((IKeyStoreAdministration)_keys).ImportClearKey(master, KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, TestTerminalKeys.MasterKeyFor(terminal));
            }
            catch (KeyStoreException)
            {
                // Another connection of the same terminal imported it first.
            }
        }

        var keys = new SignOnKeys(
            _keys.GenerateWorkingKey(master, TerminalKeyLabels.Pin(terminal), KeyUsage.PinEncryption),
            _keys.GenerateWorkingKey(master, TerminalKeyLabels.Mac(terminal), KeyUsage.MessageAuthentication));
        Statistics.SignOn();
        Log(request, $"signed on: new working keys (PIK check {Convert.ToHexString(keys.Pin.CheckValue)}, MAK check {Convert.ToHexString(keys.Mac.CheckValue)})");
        return new CupPosReply(CupPosResponses.SignOn(message, keys, Now, NewReference()));
    }

    /// <summary>0510: the host's debit totals for the terminal's batch (60.2) and whether the terminal's agree.</summary>
    private CupPosReply Settle(CupPosRequest request, string terminal)
    {
        var message = request.Message;
        string batch = message.Reserved60?.Batch ?? "000000";
        var host = _totals.Of(terminal, batch);
        if (!SettlementTotals.TryParse(message.Reserved63, out var theirs))
        {
            Log(request, "settlement answered 30: field 63 does not hold the totals");
            return Answer(message, CupPosCodes.FormatError, mac: true);
        }

        bool balanced = theirs.DebitCount == host.DebitCount && theirs.DebitAmount == host.DebitAmount && theirs.CreditCount == host.CreditCount && theirs.CreditAmount == host.CreditAmount;
        Log(request, $"settlement of batch {batch}: terminal {theirs.DebitCount} debits / {theirs.DebitAmount}, host {host.DebitCount} / {host.DebitAmount}: {(balanced ? "balanced" : "not balanced")}");
        return Reply(CupPosResponses.Settlement(message, host, balanced ? SettlementResult.Balanced : SettlementResult.NotBalanced, Now, NewReference()), terminal, mac: true);
    }
}
