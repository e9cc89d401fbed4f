using Jinka.Core;
using Jinka.Core.Apdu;

namespace Jinka.Terminal.Contact.ActionAnalysis;

/// <summary>
/// Terminal action analysis (EMV Book 3 §10.7): the TVR against TAC/IAC-Denial (AAC), then on an online-capable
/// terminal TAC/IAC-Online (ARQC, else TC), or on an offline-only terminal TAC/IAC-Default (AAC, else TC).
/// Absent IACs count as Denial 00…, Online and Default FF… . An online-only terminal always asks for an ARQC.
/// </summary>
internal sealed class TerminalActionAnalysis : IKernelStep
{
    private static readonly byte[] s_zeros = new byte[5];
    private static readonly byte[] s_ones = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    public string Name => "Terminal action analysis";

    public ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var codes = ActionCodes.For(context);
        var tvr = context.Tvr;
        context.Input("TVR", tvr.ToString());
        context.Input("TAC denial/online/default", $"{Hex.Encode(codes.TacDenial)} / {Hex.Encode(codes.TacOnline)} / {Hex.Encode(codes.TacDefault)}");
        context.Input("IAC denial/online/default", $"{Hex.Encode(codes.IacDenial)} / {Hex.Encode(codes.IacOnline)} / {Hex.Encode(codes.IacDefault)}");

        var config = context.Config;
        string why;
        if (Matches(tvr, codes.TacDenial, codes.IacDenial, out var denial))
        {
            context.Decision = CryptogramType.Aac;
            why = $"denial codes match: {denial}";
        }
        else if (!config.IsOnlineCapable)
        {
            bool decline = Matches(tvr, codes.TacDefault, codes.IacDefault, out var matched);
            context.Decision = decline ? CryptogramType.Aac : CryptogramType.Tc;
            why = decline ? $"offline-only terminal; default codes match: {matched}" : "offline-only terminal; no default code matches";
        }
        else if (config.IsOnlineOnly || context.Request.ForceOnline)
        {
            context.Decision = CryptogramType.Arqc;
            why = config.IsOnlineOnly ? "online-only terminal" : "merchant forced the transaction online";
        }
        else if (Matches(tvr, codes.TacOnline, codes.IacOnline, out var online))
        {
            context.Decision = CryptogramType.Arqc;
            why = $"online codes match: {online}";
        }
        else
        {
            context.Decision = CryptogramType.Tc;
            why = "no denial or online code matches";
        }

        context.Output("decision", $"{context.Decision.ToString().ToUpperInvariant()} ({why})");
        return ValueTask.FromResult(StepResult.Continue);
    }

    /// <summary>True when TVR ∧ (TAC ∨ IAC) ≠ 0; <paramref name="matched"/> names the bits.</summary>
    public static bool Matches(Tvr tvr, ReadOnlySpan<byte> tac, ReadOnlySpan<byte> iac, out string matched)
    {
        Span<byte> either = stackalloc byte[5];
        for (int i = 0; i < 5; i++)
        {
            either[i] = (byte)(tac[i] | iac[i]);
        }

        var hits = tvr.Intersection(either);
        matched = string.Join(", ", hits.Describe());
        return !hits.IsEmpty;
    }

    /// <summary>The six action codes in force for the selected application.</summary>
    internal sealed record ActionCodes(byte[] TacDenial, byte[] TacOnline, byte[] TacDefault, byte[] IacDenial, byte[] IacOnline, byte[] IacDefault)
    {
        public static ActionCodes For(TransactionContext context)
        {
            var aid = context.Application?.TerminalAid;
            var config = context.Config;
            return new ActionCodes(
                aid?.TacDenial ?? config.TacDenial,
                aid?.TacOnline ?? config.TacOnline,
                aid?.TacDefault ?? config.TacDefault,
                Iac(context, Tags.IacDenial, s_zeros),
                Iac(context, Tags.IacOnline, s_ones),
                Iac(context, Tags.IacDefault, s_ones));
        }

        private static byte[] Iac(TransactionContext context, Jinka.Core.Tlv.Tag tag, byte[] absent) =>
            context.TryGet(tag, out var value) && value.Length == 5 ? value.ToArray() : absent;
    }
}
