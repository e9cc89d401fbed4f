using System.Globalization;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Dispatch;
using Jinka.Core;
using Jinka.Core.Apdu;

namespace Jinka.Testing;

/// <summary>
/// A stand-in personalisation target: records every DGI it is given (in its own store, so a rolled-back STORE DATA
/// leaves no trace), refuses DGI <see cref="RefusedDgi"/> with 6A80, and becomes PERSONALIZED on the last block.
/// Registered under any module name, it lets security-domain and personalisation-machine tests see exactly what an
/// application receives.
/// </summary>
public sealed class RecordingApplication(Aid aid) : CardApplication<RecordingApplication.Phase>(aid), IPersonalizable
{
    /// <summary>A DGI this stand-in refuses with 6A80, to test how refusals surface.</summary>
    public const ushort RefusedDgi = 0xBAD0;

    private static readonly CommandTable<Phase> s_commands = new();

    public enum Phase
    {
        Selected,
    }

    protected override CommandTable<Phase> Commands => s_commands;

    public StatusWord StoreDgi(ApplicationContext context, ushort dgi, ReadOnlySpan<byte> value, bool isLastBlock)
    {
        if (dgi == RefusedDgi)
        {
            return StatusWord.IncorrectData;
        }

        int index = context.Store.Keys("dgi/").Count;
        context.Store.Set(string.Create(CultureInfo.InvariantCulture, $"dgi/{index:D4}"), [(byte)(dgi >> 8), (byte)dgi, isLastBlock ? (byte)1 : (byte)0, .. value]);
        if (isLastBlock)
        {
            context.LifeCycle = ApplicationLifeCycle.Personalized;
        }

        return StatusWord.Success;
    }

    /// <summary>The DGIs the application received, in order.</summary>
    public static IReadOnlyList<ReceivedDgi> Received(VirtualCard card, Aid aid) => card.Inspect(aid, context =>
        context.Store.Keys("dgi/").Order(StringComparer.Ordinal)
            .Select(key => context.Store.Get(key)!)
            .Select(cell => new ReceivedDgi((ushort)((cell[0] << 8) | cell[1]), cell[3..], cell[2] == 1))
            .ToList());
}

/// <summary>One DGI as the application received it.</summary>
public sealed record ReceivedDgi(ushort Dgi, byte[] Value, bool Last)
{
    public string ValueHex => Hex.Encode(Value);

    public override string ToString() => $"{Dgi:X4} {ValueHex}";
}
