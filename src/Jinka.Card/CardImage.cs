using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Jinka.Card.Applications;
using Jinka.Card.Files;
using Jinka.Card.Nvm;
using Jinka.Core;

namespace Jinka.Card;

/// <summary>A card image could not be read: the message names the file, the place and what is wrong.</summary>
public sealed class CardImageException : Exception
{
    public CardImageException()
    {
    }

    public CardImageException(string message)
        : base(message)
    {
    }

    public CardImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The card's NVM as a JSON file, so a card issued by one command is used by the next (<c>jinka issue --out
/// CARD.json</c>, then transactions that advance its ATC). The format is versioned and meant to be read by people:
/// <code>
/// {
///   "format": "jinka-card-image",
///   "version": 1,
///   "cells": { "apps/A000000333010101/data/atc": "0001", "registry/A000000333010101": "E0…", … },
///   "journal": { "committed": false, "records": [ { "key": "…", "value": "…", "intact": true } ] }
/// }
/// </code>
/// Bytes are upper-case hex. "cells" are the NVM cells sorted by key (see <see cref="FileSystem"/> and
/// <see cref="RegistryEntry"/> for what the values hold: FCPs and registry entries are BER-TLV). "journal" appears
/// only when the image was saved between a tear and the recovery that the next power-on performs.
/// </summary>
/// <remarks>Saving is crash-safe for the file too: the image goes to a temporary file in the same directory, is
/// flushed to disk (fsync), then renamed over the old one, so a reader sees the old image or the new, never half.</remarks>
public static class CardImage
{
    public const string FormatName = "jinka-card-image";
    public const int CurrentVersion = 1;

    /// <summary>Writes the image of <paramref name="nvm"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(NvmMemory nvm, string path)
    {
        ArgumentNullException.ThrowIfNull(nvm);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Serialize(nvm);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes the image of <paramref name="card"/>'s NVM.</summary>
    public static void Save(VirtualCard card, string path)
    {
        ArgumentNullException.ThrowIfNull(card);
        Save(card.Nvm, path);
    }

    /// <summary>Reads an image file.</summary>
    /// <exception cref="CardImageException">The file is not a valid image (truncated, corrupt, unknown version …).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NvmMemory Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Deserialize(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads an image file and builds a card over it, checking that <paramref name="catalog"/> has every module the registry names.</summary>
    public static VirtualCard LoadCard(string path, ApplicationCatalog catalog, VirtualCardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var nvm = Load(path);
        foreach (var (key, value) in nvm.SnapshotCells())
        {
            if (key.StartsWith(NvmLayout.RegistryPrefix, StringComparison.Ordinal)
                && RegistryEntry.TryDecode(value, out var entry, out _)
                && !catalog.Contains(entry.Module))
            {
                throw new CardImageException($"card image '{path}': application {entry.Aid} needs module '{entry.Module}', which this catalog does not have");
            }
        }

        return new VirtualCard(catalog, nvm, options);
    }

    /// <summary>Like <see cref="Load"/>, returning false with the message instead of throwing (I/O errors included).</summary>
    public static bool TryLoad(string path, [NotNullWhen(true)] out NvmMemory? nvm, [NotNullWhen(false)] out string? error)
    {
        try
        {
            nvm = Load(path);
            error = null;
            return true;
        }
        catch (Exception e) when (e is CardImageException or IOException or UnauthorizedAccessException)
        {
            nvm = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>The image as UTF-8 JSON.</summary>
    public static byte[] Serialize(NvmMemory nvm)
    {
        ArgumentNullException.ThrowIfNull(nvm);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteNumber("version", CurrentVersion);
            writer.WriteStartObject("cells");
            foreach (var (key, value) in nvm.SnapshotCells())
            {
                writer.WriteString(key, Hex.Encode(value));
            }

            writer.WriteEndObject();
            if (nvm.NeedsRecovery)
            {
                writer.WriteStartObject("journal");
                writer.WriteBoolean("committed", nvm.JournalCommitted);
                writer.WriteStartArray("records");
                foreach (var record in nvm.Journal)
                {
                    writer.WriteStartObject();
                    writer.WriteString("key", record.Key);
                    if (record.Value is null)
                    {
                        writer.WriteNull("value");
                    }
                    else
                    {
                        writer.WriteString("value", Hex.Encode(record.Value));
                    }

                    writer.WriteBoolean("intact", record.Intact);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Parses and checks an image; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="CardImageException">Not a valid image.</exception>
    public static NvmMemory Deserialize(ReadOnlySpan<byte> json, string source = "(memory)")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line
                ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, byte {e.BytePositionInLine + 1}")
                : "";
            string hint = e.Message.Contains("end of", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? " (the file looks truncated)"
                : "";
            throw new CardImageException($"card image '{source}' is not valid JSON{where}{hint}: {e.Message}", e);
        }

        using (document)
        {
            return Read(document.RootElement, source);
        }
    }

    private static NvmMemory Read(JsonElement root, string source)
    {
        string Fail(string what) => throw new CardImageException($"card image '{source}': {what}");

        if (root.ValueKind != JsonValueKind.Object)
        {
            Fail($"the top level is a JSON {root.ValueKind}, not an object");
        }

        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
        {
            Fail($"\"format\" must be \"{FormatName}\"");
        }

        if (!root.TryGetProperty("version", out var versionElement) || !versionElement.TryGetInt32(out int version))
        {
            Fail("\"version\" is missing or not an integer");
        }
        else if (version != CurrentVersion)
        {
            Fail(version > CurrentVersion
                ? string.Create(CultureInfo.InvariantCulture, $"version {version} is newer than this Jinka reads ({CurrentVersion})")
                : string.Create(CultureInfo.InvariantCulture, $"version {version} is not one this Jinka reads ({CurrentVersion})"));
        }

        if (!root.TryGetProperty("cells", out var cellsElement) || cellsElement.ValueKind != JsonValueKind.Object)
        {
            Fail("\"cells\" is missing or not an object");
        }

        var cells = new List<KeyValuePair<string, byte[]>>();
        foreach (var cell in cellsElement.EnumerateObject())
        {
            cells.Add(new(CheckKey(cell.Name, source), HexValue(cell.Value, $"cell '{cell.Name}'", source)));
            CheckCellContents(cell.Name, cells[^1].Value, source);
        }

        var journal = new List<NvmJournalRecord>();
        bool committed = false;
        if (root.TryGetProperty("journal", out var journalElement))
        {
            if (journalElement.ValueKind != JsonValueKind.Object
                || !journalElement.TryGetProperty("committed", out var committedElement) || committedElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || !journalElement.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                Fail("\"journal\" must be { \"committed\": true|false, \"records\": [ … ] }");
                return null!;
            }

            committed = committedElement.GetBoolean();
            int index = 0;
            foreach (var record in records.EnumerateArray())
            {
                string at = string.Create(CultureInfo.InvariantCulture, $"journal record {index++}");
                if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String
                    || !record.TryGetProperty("value", out var value))
                {
                    Fail($"{at} needs \"key\" and \"value\"");
                    return null!;
                }

                bool intact = !record.TryGetProperty("intact", out var intactElement) || intactElement.ValueKind != JsonValueKind.False;
                byte[]? bytes = value.ValueKind == JsonValueKind.Null ? null : HexValue(value, at, source);
                journal.Add(new NvmJournalRecord(CheckKey(key.GetString()!, source), bytes, intact));
            }
        }

        return new NvmMemory(cells, journal, committed);
    }

    private static string CheckKey(string key, string source)
        => NvmKey.IsValid(key, out var error) ? key : throw new CardImageException($"card image '{source}': {error}");

    private static byte[] HexValue(JsonElement value, string what, string source)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new CardImageException($"card image '{source}': {what} is a JSON {value.ValueKind}, not a hex string");
        }

        return Hex.TryParse(value.GetString(), out var bytes, out var error)
            ? bytes
            : throw new CardImageException($"card image '{source}': {what}: {error}");
    }

    /// <summary>Structured cells must decode, so a damaged image fails here rather than at the first SELECT.</summary>
    private static void CheckCellContents(string key, byte[] value, string source)
    {
        string? error = null;
        if (key.StartsWith(NvmLayout.RegistryPrefix, StringComparison.Ordinal))
        {
            if (RegistryEntry.TryDecode(value, out var entry, out error) && NvmLayout.Registry(entry.Aid) != key)
            {
                error = $"holds the entry of {entry.Aid}";
            }
        }
        else if (key.EndsWith("/fcp", StringComparison.Ordinal))
        {
            FileDescriptor.TryDecodeFcp(value, out _, out error);
        }

        if (error is not null)
        {
            throw new CardImageException($"card image '{source}': cell '{key}' {error}");
        }
    }
}
