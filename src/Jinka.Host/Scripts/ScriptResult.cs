using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Jinka.Host.Scripts;

/// <summary>What the terminal says it did with a script (DF31 byte 1, high nibble; NOTES A.2).</summary>
public enum ScriptOutcome
{
    NotPerformed = 0,
    Failed = 1,
    Succeeded = 2,
}

/// <summary>
/// One issuer script result as CUP terminals report it in DF31 (NOTES A.2): byte 1 = outcome (high nibble) ‖
/// sequence number of the failing command (low nibble, 0 on success, F for 15 or more), bytes 2–5 = the script ID
/// 9F18. A DF31 value may hold several results back to back.
/// </summary>
public readonly record struct ScriptResult(ScriptOutcome Outcome, int FailedCommand, uint ScriptId)
{
    /// <summary>Bytes per result.</summary>
    public const int Length = 5;

    /// <summary>Parses one 5-byte result.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out ScriptResult result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        if (value.Length != Length)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"a script result is {Length} bytes; got {value.Length}");
            return false;
        }

        int outcome = value[0] >> 4;
        if (outcome > (int)ScriptOutcome.Succeeded)
        {
            error = $"script result byte 1 = {value[0]:X2}: the high nibble must be 0 (not performed), 1 (failed) or 2 (succeeded)";
            return false;
        }

        result = new ScriptResult((ScriptOutcome)outcome, value[0] & 0x0F, BinaryPrimitives.ReadUInt32BigEndian(value[1..]));
        error = null;
        return true;
    }

    /// <summary>Parses a DF31 value of one or more results.</summary>
    public static bool TryParseAll(ReadOnlySpan<byte> value, [NotNullWhen(true)] out IReadOnlyList<ScriptResult>? results, [NotNullWhen(false)] out string? error)
    {
        results = null;
        if (value.IsEmpty || value.Length % Length != 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"DF31 is {value.Length} bytes; a multiple of {Length} was expected");
            return false;
        }

        var list = new List<ScriptResult>(value.Length / Length);
        for (int offset = 0; offset < value.Length; offset += Length)
        {
            if (!TryParse(value.Slice(offset, Length), out var result, out error))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"DF31 offset {offset}: {error}");
                return false;
            }

            list.Add(result);
        }

        results = list;
        error = null;
        return true;
    }

    /// <summary>The 5-byte encoding.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[Length];
        bytes[0] = (byte)(((int)Outcome << 4) | (FailedCommand & 0x0F));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), ScriptId);
        return bytes;
    }

    public override string ToString() => Outcome switch
    {
        ScriptOutcome.Failed => string.Create(CultureInfo.InvariantCulture, $"script {ScriptId:X8} failed at command {FailedCommand}"),
        ScriptOutcome.Succeeded => $"script {ScriptId:X8} succeeded",
        _ => $"script {ScriptId:X8} not performed",
    };
}
