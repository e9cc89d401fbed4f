using System.Globalization;
using System.Text.Json;

namespace Jinka.Issuance.Profiles;

/// <summary>
/// Typed reads from one JSON object that record a <see cref="ProfileError"/> naming the field (its JSON path) instead
/// of throwing, so a profile is checked completely and every bad field is reported at once. A missing optional
/// field gives null; a missing required one gives null and an error. Fields nobody asked for are reported by
/// <see cref="ReportUnknown"/> (a typo must not silently fall back to a default).
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _element;
    private readonly string _path;
    private readonly List<ProfileError> _errors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal) { "$comment", "comment" };

    public JsonFields(JsonElement element, string path, List<ProfileError> errors)
    {
        _element = element;
        _path = path;
        _errors = errors;
    }

    public string Path(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    public void Error(string name, string message) => _errors.Add(new ProfileError(Path(name), message));

    /// <summary>Records an error for a field given by its full path (e.g. an array element).</summary>
    public void ErrorAt(string path, string message) => _errors.Add(new ProfileError(path, message));

    /// <summary>Fields of a nested object (e.g. an array element) reporting into the same error list.</summary>
    public JsonFields Child(JsonElement element, string path) => new(element, path, _errors);

    /// <summary>True when the field is the literal true (and marks it read).</summary>
    public bool IsTrue(string name)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
    }

    /// <summary>True when the field is the literal false (and marks it read).</summary>
    public bool IsFalse(string name)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.False;
    }

    public string? String(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, $"expected a string, found {Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    public long? Integer(string name, long min, long max, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            Error(name, $"expected a whole number, found {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            Error(name, string.Create(CultureInfo.InvariantCulture, $"{number} is outside {min}–{max}"));
            return null;
        }

        return number;
    }

    /// <summary>A hex string of <paramref name="minLength"/>–<paramref name="maxLength"/> bytes.</summary>
    public byte[]? Hex(string name, int minLength, int maxLength, bool required = false)
    {
        string? text = String(name, required);
        if (text is null)
        {
            return null;
        }

        if (!Core.Hex.TryParse(text, out var bytes, out var error))
        {
            Error(name, $"not hex: {error}");
            return null;
        }

        if (bytes.Length < minLength || bytes.Length > maxLength)
        {
            Error(name, minLength == maxLength
                ? string.Create(CultureInfo.InvariantCulture, $"expected {minLength} bytes ({2 * minLength} hex digits), found {bytes.Length}")
                : string.Create(CultureInfo.InvariantCulture, $"expected {minLength}–{maxLength} bytes, found {bytes.Length}"));
            return null;
        }

        return bytes;
    }

    /// <summary>A string of exactly <paramref name="digits"/> decimal digits, as a number.</summary>
    public int? Digits(string name, int digits, bool required = false)
    {
        string? text = String(name, required);
        if (text is null)
        {
            return null;
        }

        if (text.Length != digits || !text.All(char.IsAsciiDigit))
        {
            Error(name, string.Create(CultureInfo.InvariantCulture, $"expected {digits} decimal digits, found \"{text}\""));
            return null;
        }

        return int.Parse(text, CultureInfo.InvariantCulture);
    }

    public DateOnly? Date(string name, bool required = false)
    {
        string? text = String(name, required);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Error(name, $"expected a date yyyy-MM-dd, found \"{text}\"");
            return null;
        }

        return date;
    }

    public JsonFields? Object(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, $"expected an object, found {Describe(value)}");
            return null;
        }

        return new JsonFields(value, Path(name), _errors);
    }

    /// <summary>The array's elements with their paths ("name[i]"); null when absent or not an array.</summary>
    public IReadOnlyList<(JsonElement Element, string Path)>? Array(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(name, $"expected an array, found {Describe(value)}");
            return null;
        }

        return value.EnumerateArray().Select((element, i) => (element, string.Create(CultureInfo.InvariantCulture, $"{Path(name)}[{i}]"))).ToList();
    }

    /// <summary>Reports every field of this object that no read asked for.</summary>
    public void ReportUnknown()
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                _errors.Add(new ProfileError(Path(property.Name), "unknown field"));
            }
        }
    }

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        _read.Add(name);
        if (_element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Error(name, "required field is missing");
        }

        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };
}
