using System.Globalization;

namespace Jinka.Iso8583;

/// <summary>A message type identifier, four decimal digits (ISO 8583:1987 §4.3), written as two BCD bytes.</summary>
/// <param name="Value">0–9999, e.g. 200 for "0200".</param>
public readonly record struct Mti(int Value)
{
    public static readonly Mti AuthorizationRequest = new(100);
    public static readonly Mti AuthorizationResponse = new(110);
    public static readonly Mti FinancialRequest = new(200);
    public static readonly Mti FinancialResponse = new(210);
    public static readonly Mti BatchUploadRequest = new(320);
    public static readonly Mti BatchUploadResponse = new(330);
    public static readonly Mti ReversalRequest = new(400);
    public static readonly Mti ReversalResponse = new(410);
    public static readonly Mti SettlementRequest = new(500);
    public static readonly Mti SettlementResponse = new(510);
    public static readonly Mti ScriptResultRequest = new(620);
    public static readonly Mti ScriptResultResponse = new(630);
    public static readonly Mti SignOnRequest = new(800);
    public static readonly Mti SignOnResponse = new(810);

    /// <summary>True for requests and advices (the third digit even: 0200, 0320, 0800 …).</summary>
    public bool IsRequest => (Value / 10 % 10 % 2) == 0;

    /// <summary>The response to this request: 0200 → 0210.</summary>
    /// <exception cref="InvalidOperationException">This is already a response.</exception>
    public Mti Response => IsRequest ? new Mti(Value + 10) : throw new InvalidOperationException($"{this} is a response.");

    /// <summary>"0200".</summary>
    public override string ToString() => Value.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Parses four digits.</summary>
    /// <exception cref="FormatException">Not four decimal digits.</exception>
    public static Mti Parse(string text) =>
        text is { Length: 4 } && text.All(char.IsAsciiDigit)
            ? new Mti(int.Parse(text, CultureInfo.InvariantCulture))
            : throw new FormatException($"An MTI is four decimal digits; got '{text}'.");

    internal void Write(Span<byte> destination)
    {
        destination[0] = (byte)(((Value / 1000) << 4) | (Value / 100 % 10));
        destination[1] = (byte)(((Value / 10 % 10) << 4) | (Value % 10));
    }
}
