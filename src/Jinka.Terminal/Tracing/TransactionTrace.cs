using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jinka.Terminal.Tracing;

/// <summary>
/// The replayable record of one transaction: each step with its inputs, outputs and notes, every APDU exchanged,
/// the final TVR and TSI in hex and words, the outcome, the field 55 data sent to and received from the host, and
/// the final data elements. Plain data, serialisable with <see cref="ToJson"/> (the CLI writes it as a file).
/// </summary>
public sealed class TransactionTrace
{
    public string Kernel { get; set; } = "PBOC contact";

    public string Outcome { get; set; } = "";

    public string Reason { get; set; } = "";

    public string? Aid { get; set; }

    public TraceBits Tvr { get; set; } = new();

    public TraceBits Tsi { get; set; } = new();

    public TraceBits? CvmResults { get; set; }

    public List<TraceStep> Steps { get; set; } = [];

    public List<TraceApdu> Apdus { get; set; } = [];

    public TraceAuthorization? Authorization { get; set; }

    public TraceAdvice? Advice { get; set; }

    /// <summary>DF31 as hex.</summary>
    public string? ScriptResults { get; set; }

    public List<TraceDataElement> Data { get; set; } = [];

    /// <summary>The trace as JSON (camelCase names, nulls left out).</summary>
    public string ToJson(bool indented = true) =>
        JsonSerializer.Serialize(this, (indented ? TraceJsonContext.Indented : TraceJsonContext.Compact).TransactionTrace);

    /// <summary>Reads a trace written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">Not a trace.</exception>
    public static TransactionTrace FromJson(string json) =>
        JsonSerializer.Deserialize(json, TraceJsonContext.Compact.TransactionTrace) ?? throw new JsonException("the trace is null");
}

/// <summary>A bit-mapped value: hex and the set bits in words.</summary>
public sealed class TraceBits
{
    public string Hex { get; set; } = "";

    public List<string> Words { get; set; } = [];
}

/// <summary>One kernel step: what it took in, what it produced, and remarks.</summary>
public sealed class TraceStep
{
    public string Name { get; set; } = "";

    public Dictionary<string, string> Inputs { get; set; } = [];

    public Dictionary<string, string> Outputs { get; set; } = [];

    public List<string> Notes { get; set; } = [];

    /// <summary>TVR after the step, hex.</summary>
    public string Tvr { get; set; } = "";

    /// <summary>TSI after the step, hex.</summary>
    public string Tsi { get; set; } = "";

    /// <summary>"continue", or how the step ended the transaction.</summary>
    public string Result { get; set; } = "";
}

/// <summary>One command and its response, hex, with the step that sent it and why.</summary>
public sealed class TraceApdu
{
    public string Step { get; set; } = "";

    public string Purpose { get; set; } = "";

    public string Command { get; set; } = "";

    public string Response { get; set; } = "";

    public string StatusWord { get; set; } = "";

    public string Meaning { get; set; } = "";
}

/// <summary>The authorisation exchange: field 55 out and back.</summary>
public sealed class TraceAuthorization
{
    public string RequestIccData { get; set; } = "";

    public string Pan { get; set; } = "";

    public long Amount { get; set; }

    public string ProcessingCode { get; set; } = "";

    public int Stan { get; set; }

    public bool OnlinePin { get; set; }

    /// <summary>Field 39, or null when the host could not be reached.</summary>
    public string? ResponseCode { get; set; }

    public string? ResponseIccData { get; set; }

    /// <summary>Why the host could not be reached, when it could not.</summary>
    public string? Failure { get; set; }
}

/// <summary>The completion or reversal advice sent.</summary>
public sealed class TraceAdvice
{
    public string Kind { get; set; } = "";

    public string IccData { get; set; } = "";

    public string? Failure { get; set; }
}

/// <summary>One data element at the end of the transaction.</summary>
public sealed class TraceDataElement
{
    public string Tag { get; set; } = "";

    public string Name { get; set; } = "";

    public string Value { get; set; } = "";
}

[JsonSerializable(typeof(TransactionTrace))]
internal sealed partial class TraceJsonContext : JsonSerializerContext
{
    private static readonly Lazy<TraceJsonContext> s_indented = new(() => new TraceJsonContext(CreateOptions(indented: true)));
    private static readonly Lazy<TraceJsonContext> s_compact = new(() => new TraceJsonContext(CreateOptions(indented: false)));

    /// <summary>Indented, camelCase, nulls left out; text (Chinese labels, "–") kept readable rather than \u-escaped.</summary>
    public static TraceJsonContext Indented => s_indented.Value;

    public static TraceJsonContext Compact => s_compact.Value;

    private static JsonSerializerOptions CreateOptions(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
    };
}
