using System.Text.Json.Serialization;

namespace Jinka.Iso8583.Load;

/// <summary>Source-generated JSON for the acks file (camelCase, one object a line).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LoadAck))]
internal sealed partial class LoadJson : JsonSerializerContext;
