using System.Globalization;
using Jinka.Core.Apdu;
using Jinka.Card.Nvm;

namespace Jinka.Card.Files;

/// <summary>A file of one owner's tree: its path below the owner's root DF ("" for the root itself, "DF01/EF05" below)
/// and its descriptor. A value: re-read it after the tree changes.</summary>
public sealed record FileRef(string Path, FileDescriptor Descriptor)
{
    public bool IsRoot => Path.Length == 0;

    public bool IsDf => Descriptor.IsDf;

    public override string ToString() => IsRoot ? "(root)" : Path;
}

/// <summary>
/// One owner's ISO/IEC 7816-4 file tree (an application's ADF and everything below it, or the MF's own EFs), read
/// and written inside the current NVM transaction. This is the raw layer: it enforces structure (sizes, record
/// lengths, free slots) but not access conditions, because the owning application's own logic (appending a
/// transaction log, updating a balance file) is not bound by what a terminal may do. <see cref="FileCommands"/> is
/// the terminal-facing layer that checks access conditions.
/// </summary>
/// <remarks>
/// NVM layout under the owner's root key: "&lt;path&gt;/fcp" the FCP, "&lt;path&gt;/data" transparent contents,
/// "&lt;path&gt;/rec/NNN" record slots, "&lt;path&gt;/ring" count ‖ newest slot of a cyclic file, "&lt;path&gt;/fci" a
/// personalised FCI of a DF. Path segments are the FID in hex, or "sfiNN" for an EF without FID, or "df-&lt;name&gt;" for
/// a DF with a name only.
/// </remarks>
public sealed class FileSystem
{
    private readonly NvmTransaction _transaction;
    private readonly string _root;

    internal FileSystem(NvmTransaction transaction, string root, FileDescriptor rootDescriptor)
    {
        _transaction = transaction;
        _root = root.TrimEnd('/');
        Root = new FileRef("", rootDescriptor);
    }

    /// <summary>The owner's root DF (the ADF, or the MF).</summary>
    public FileRef Root { get; }

    /// <summary>Creates a DF below <paramref name="parent"/>.</summary>
    /// <exception cref="ArgumentException">Not a DF descriptor, or its FID/name is already used.</exception>
    public FileRef CreateDf(FileRef parent, FileDescriptor df)
    {
        if (!df.IsDf)
        {
            throw new ArgumentException("CreateDf needs a DF descriptor", nameof(df));
        }

        if (df.DfName is { } name && FindDfByName(name) is not null)
        {
            throw new ArgumentException($"DF name {name} is already used in this tree", nameof(df));
        }

        return Create(parent, df);
    }

    /// <summary>Creates an EF below <paramref name="parent"/>; a transparent EF starts as zero bytes.</summary>
    /// <exception cref="ArgumentException">A DF descriptor, or the FID/SFI is already used in the parent.</exception>
    public FileRef CreateEf(FileRef parent, FileDescriptor ef)
    {
        if (ef.IsDf)
        {
            throw new ArgumentException("CreateEf needs an EF descriptor", nameof(ef));
        }

        if (ef.Sfi is int sfi && FindBySfi(parent, sfi) is not null)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"SFI {sfi} is already used in {parent}"), nameof(ef));
        }

        var file = Create(parent, ef);
        if (ef.Structure == FileStructure.Transparent)
        {
            _transaction.Write(Key(file.Path, "data"), new byte[ef.Size]);
        }

        return file;
    }

    /// <summary>Removes a file and, for a DF, everything below it.</summary>
    public void Delete(FileRef file)
    {
        if (file.IsRoot)
        {
            throw new ArgumentException("the root DF belongs to the owner and cannot be deleted here", nameof(file));
        }

        foreach (string key in _transaction.Keys(_root + "/" + file.Path + "/"))
        {
            _transaction.Delete(key);
        }
    }

    /// <summary>The file at <paramref name="path"/>, or null.</summary>
    public FileRef? Find(string path)
    {
        if (path.Length == 0)
        {
            return Root;
        }

        if (!_transaction.TryRead(Key(path, "fcp"), out var fcp))
        {
            return null;
        }

        return new FileRef(path, FileDescriptor.DecodeFcp(fcp.Span));
    }

    /// <summary>The files directly below a DF, in key order.</summary>
    public IReadOnlyList<FileRef> Children(FileRef df)
    {
        string prefix = df.IsRoot ? _root + "/" : _root + "/" + df.Path + "/";
        var children = new List<FileRef>();
        foreach (string key in _transaction.Keys(prefix))
        {
            string rest = key[prefix.Length..];
            int slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && rest[(slash + 1)..] == "fcp")
            {
                string path = df.IsRoot ? rest[..slash] : df.Path + "/" + rest[..slash];
                children.Add(Find(path)!);
            }
        }

        return children;
    }

    /// <summary>The parent DF, or null for the root.</summary>
    public FileRef? Parent(FileRef file)
    {
        if (file.IsRoot)
        {
            return null;
        }

        int slash = file.Path.LastIndexOf('/');
        return Find(slash < 0 ? "" : file.Path[..slash]);
    }

    public FileRef? FindByFid(FileRef df, ushort fid) => Children(df).FirstOrDefault(f => f.Descriptor.Fid == fid);

    /// <summary>The EF with short identifier <paramref name="sfi"/> directly below <paramref name="df"/> (SFIs are per DF, ISO/IEC 7816-4 §5.3.1.2).</summary>
    public FileRef? FindBySfi(FileRef df, int sfi) => Children(df).FirstOrDefault(f => !f.IsDf && f.Descriptor.Sfi == sfi);

    /// <summary>The DF named <paramref name="name"/> anywhere in this tree (the root included), or null.</summary>
    public FileRef? FindDfByName(Aid name)
    {
        if (Root.Descriptor.DfName == name)
        {
            return Root;
        }

        foreach (string key in _transaction.Keys(_root + "/"))
        {
            if (key.EndsWith("/fcp", StringComparison.Ordinal))
            {
                string path = key[(_root.Length + 1)..^4];
                if (Find(path) is { IsDf: true } df && df.Descriptor.DfName == name)
                {
                    return df;
                }
            }
        }

        return null;
    }

    /// <summary>A personalised FCI for a DF (returned on SELECT instead of the default), or null.</summary>
    public byte[]? GetFci(FileRef df) => _transaction.TryRead(Key(df.Path, "fci"), out var fci) ? fci.ToArray() : null;

    public void SetFci(FileRef df, ReadOnlySpan<byte> fci)
    {
        RequireDf(df);
        _transaction.Write(Key(df.Path, "fci"), fci);
    }

    /// <summary>The whole contents of a transparent EF.</summary>
    public byte[] ReadBinary(FileRef ef)
    {
        Require(ef, FileStructure.Transparent);
        return _transaction.TryRead(Key(ef.Path, "data"), out var data) ? data.ToArray() : new byte[ef.Descriptor.Size];
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>: 9000, or 6B00 (offset outside the file) / 6700 (runs past the end).</summary>
    public StatusWord UpdateBinary(FileRef ef, int offset, ReadOnlySpan<byte> data)
    {
        var contents = ReadBinary(ef);
        if (offset < 0 || offset >= contents.Length)
        {
            return StatusWord.WrongP1P2;
        }

        if (data.Length > contents.Length - offset)
        {
            return StatusWord.WrongLength;
        }

        data.CopyTo(contents.AsSpan(offset));
        _transaction.Write(Key(ef.Path, "data"), contents);
        return StatusWord.Success;
    }

    /// <summary>Records present: for a linear file the highest record number written, for a cyclic file how many it holds.</summary>
    public int RecordCount(FileRef ef)
    {
        RequireRecords(ef);
        if (ef.Descriptor.Structure == FileStructure.Cyclic)
        {
            return Ring(ef).Count;
        }

        string prefix = Key(ef.Path, "rec/");
        var keys = _transaction.Keys(prefix);
        return keys.Count == 0 ? 0 : int.Parse(keys[^1].AsSpan(prefix.Length), CultureInfo.InvariantCulture);
    }

    /// <summary>Record <paramref name="number"/> (1-based; in a cyclic file 1 is the newest), or false when it does not exist.</summary>
    public bool TryReadRecord(FileRef ef, int number, out byte[] record)
    {
        record = [];
        int? slot = SlotOf(ef, number);
        if (slot is null || !_transaction.TryRead(SlotKey(ef, slot.Value), out var data))
        {
            return false;
        }

        record = data.ToArray();
        return true;
    }

    /// <summary>The first record (lowest number) whose first byte is <paramref name="identifier"/> (ISO/IEC 7816-4 record identifier; the tag of SIMPLE-TLV records, NOTES C.2).</summary>
    public bool TryFindRecord(FileRef ef, byte identifier, out int number, out byte[] record)
    {
        int count = RecordCount(ef);
        for (number = 1; number <= count; number++)
        {
            if (TryReadRecord(ef, number, out record) && record.Length > 0 && record[0] == identifier)
            {
                return true;
            }
        }

        number = 0;
        record = [];
        return false;
    }

    /// <summary>Replaces an existing record: 9000, 6A83 (no such record) or 6700 (length not allowed).</summary>
    public StatusWord UpdateRecord(FileRef ef, int number, ReadOnlySpan<byte> data)
    {
        if (LengthProblem(ef, data.Length) is { } problem)
        {
            return problem;
        }

        int? slot = SlotOf(ef, number);
        if (slot is null || !_transaction.TryRead(SlotKey(ef, slot.Value), out _))
        {
            return StatusWord.RecordNotFound;
        }

        _transaction.Write(SlotKey(ef, slot.Value), data);
        return StatusWord.Success;
    }

    /// <summary>
    /// Adds a record: after the last one of a linear file (6A84 when full), or as the new record 1 of a cyclic
    /// file, overwriting the oldest when full. 6700 when the length is not allowed.
    /// </summary>
    public StatusWord AppendRecord(FileRef ef, ReadOnlySpan<byte> data)
    {
        if (LengthProblem(ef, data.Length) is { } problem)
        {
            return problem;
        }

        int max = ef.Descriptor.MaxRecords;
        if (ef.Descriptor.Structure != FileStructure.Cyclic)
        {
            int next = RecordCount(ef) + 1;
            if (next > max)
            {
                return StatusWord.NotEnoughMemory;
            }

            _transaction.Write(SlotKey(ef, next), data);
            return StatusWord.Success;
        }

        var (count, newest) = Ring(ef);
        int slot = (newest % max) + 1;
        _transaction.Write(SlotKey(ef, slot), data);
        _transaction.Write(Key(ef.Path, "ring"), [(byte)Math.Min(count + 1, max), (byte)slot]);
        return StatusWord.Success;
    }

    /// <summary>Personalisation: writes record <paramref name="number"/> of a linear file whether or not it exists yet.</summary>
    /// <exception cref="ArgumentException">A cyclic file (use <see cref="AppendRecord"/>), a number outside 1–max, or a length not allowed.</exception>
    public void WriteRecord(FileRef ef, int number, ReadOnlySpan<byte> data)
    {
        RequireRecords(ef);
        if (ef.Descriptor.Structure == FileStructure.Cyclic)
        {
            throw new ArgumentException("records of a cyclic file are appended, not written by number", nameof(ef));
        }

        if (number < 1 || number > ef.Descriptor.MaxRecords)
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, $"{ef} holds records 1–{ef.Descriptor.MaxRecords}");
        }

        if (LengthProblem(ef, data.Length) is not null)
        {
            throw new ArgumentException($"a record of {data.Length} bytes does not fit {ef} ({ef.Descriptor.Structure}, {ef.Descriptor.RecordSize})", nameof(data));
        }

        _transaction.Write(SlotKey(ef, number), data);
    }

    private FileRef Create(FileRef parent, FileDescriptor descriptor)
    {
        RequireDf(parent);
        if (descriptor.Fid is ushort fid && FindByFid(parent, fid) is not null)
        {
            throw new ArgumentException($"FID {fid:X4} is already used in {parent}", nameof(descriptor));
        }

        string segment = descriptor switch
        {
            { Fid: ushort f } => f.ToString("X4", CultureInfo.InvariantCulture),
            { IsDf: true } => "df-" + descriptor.DfName,
            _ => string.Create(CultureInfo.InvariantCulture, $"sfi{descriptor.Sfi:D2}"),
        };
        string path = parent.IsRoot ? segment : parent.Path + "/" + segment;
        if (Find(path) is not null)
        {
            throw new ArgumentException($"{path} already exists", nameof(descriptor));
        }

        _transaction.Write(Key(path, "fcp"), descriptor.EncodeFcp());
        return new FileRef(path, descriptor);
    }

    private int? SlotOf(FileRef ef, int number)
    {
        RequireRecords(ef);
        int max = ef.Descriptor.MaxRecords;
        if (number < 1 || number > max)
        {
            return null;
        }

        if (ef.Descriptor.Structure != FileStructure.Cyclic)
        {
            return number;
        }

        var (count, newest) = Ring(ef);
        return number > count ? null : ((newest - number + max) % max) + 1;
    }

    private (int Count, int Newest) Ring(FileRef ef)
        => _transaction.TryRead(Key(ef.Path, "ring"), out var ring) && ring.Length == 2 ? (ring.Span[0], ring.Span[1]) : (0, 0);

    private static StatusWord? LengthProblem(FileRef ef, int length)
    {
        RequireRecords(ef);
        var d = ef.Descriptor;
        bool ok = d.HasFixedRecords ? length == d.RecordSize : length >= 1 && length <= d.RecordSize;
        return ok ? null : StatusWord.WrongLength;
    }

    private string SlotKey(FileRef ef, int slot) => Key(ef.Path, string.Create(CultureInfo.InvariantCulture, $"rec/{slot:D3}"));

    private string Key(string path, string leaf) => path.Length == 0 ? $"{_root}/{leaf}" : $"{_root}/{path}/{leaf}";

    private static void Require(FileRef ef, FileStructure structure)
    {
        if (ef.Descriptor.Structure != structure)
        {
            throw new InvalidOperationException($"{ef} is {ef.Descriptor.Structure}, not {structure}");
        }
    }

    private static void RequireRecords(FileRef ef)
    {
        if (!ef.Descriptor.IsRecordStructured)
        {
            throw new InvalidOperationException($"{ef} is {ef.Descriptor.Structure}, not a record file");
        }
    }

    private static void RequireDf(FileRef df)
    {
        if (!df.IsDf)
        {
            throw new InvalidOperationException($"{df} is not a DF");
        }
    }
}
