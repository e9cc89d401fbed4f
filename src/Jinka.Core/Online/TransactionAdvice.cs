namespace Jinka.Core.Online;

/// <summary>What the kernel tells the host after an online authorisation has been answered.</summary>
public enum AdviceKind
{
    /// <summary>The transaction completed as authorised; the advice carries the final cryptogram and script results.</summary>
    Completion,

    /// <summary>The host approved but the transaction did not complete (the card declined, or was removed): undo it.</summary>
    Reversal,
}

/// <summary>
/// A completion or reversal advice for an earlier <see cref="AuthorizationRequest"/> (same terminal and STAN). Its chip
/// data carries the second GENERATE AC result (9F26, 9F27), 95, 9F36, 9F10 and the issuer script results (DF31).
/// </summary>
public sealed record TransactionAdvice(AdviceKind Kind, AuthorizationRequest Original, ReadOnlyMemory<byte> IccData);
