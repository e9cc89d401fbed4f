namespace Jinka.Host.Storage;

/// <summary>What the group-commit writer did since the store opened.</summary>
/// <param name="Commits">Transactions committed.</param>
/// <param name="Operations">Write operations in them (operations ÷ commits = the group size reached).</param>
/// <param name="Executing">Time spent running operations.</param>
/// <param name="Committing">Time spent in COMMIT (with the flush, unless a separate flusher does it).</param>
/// <param name="Flushes">Flushes by the separate flusher (<see cref="StoreDurability.BeforeResponse"/>); 0 otherwise.</param>
public readonly record struct WriterStatistics(long Commits, long Operations, TimeSpan Executing, TimeSpan Committing, long Flushes);
