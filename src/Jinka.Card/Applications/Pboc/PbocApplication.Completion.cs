using System.Numerics;
using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Card.Nvm;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Card.Applications.Pboc;

/// <summary>The end of personalisation: completeness, derived values, the log file, the counters, the life cycle.</summary>
public sealed partial class PbocApplication
{
    private const byte AipDda = 0x20;

    /// <summary>RSA ICC moduli the commands can carry: the EMV maximum 1984 bits, and room for a CDA block (64 bytes up).</summary>
    private const int MinIccModulusLength = 64;

    private static StatusWord Complete(ApplicationContext context)
    {
        var store = context.Store;
        var files = context.Files;
        var suite = PbocKeys.Suite(store);
        var aip = store.Get(PbocCells.Aip);
        var afl = store.Get(PbocCells.Afl);
        if (suite is null || !store.Contains(PbocCells.Keys) || !store.Contains(PbocCells.KeyCheckValues)
            || aip is null || afl is null || files.GetFci(files.Root) is null
            || store.Contains(PbocCells.PinBlock) != store.Contains(PbocCells.PinLimit))
        {
            return StatusWord.ReferencedDataNotFound;
        }

        // Every record the AFL names must be there (EMV Book 3 §10.2).
        for (int i = 0; i < afl.Length; i += 4)
        {
            if (files.FindBySfi(files.Root, afl[i] >> 3) is not { Descriptor.Structure: FileStructure.LinearVariable } aef)
            {
                return StatusWord.ReferencedDataNotFound;
            }

            for (int number = afl[i + 1]; number <= afl[i + 2]; number++)
            {
                if (!files.TryReadRecord(aef, number, out _))
                {
                    return StatusWord.ReferencedDataNotFound;
                }
            }
        }

        var status = FindCdols(files, out var cdol1, out var cdol2);
        if (status != StatusWord.Success)
        {
            return status;
        }

        status = CheckIccKey(store, suite, needed: (aip[0] & (AipDda | AipCda)) != 0);
        if (status != StatusWord.Success)
        {
            return status;
        }

        status = CheckLog(context, out var logEntry, out var logFormat);
        if (status != StatusWord.Success)
        {
            return status;
        }

        status = CheckLoadLog(context, logEntry, out var loadLogEntry, out var loadLogFormat);
        if (status != StatusWord.Success)
        {
            return status;
        }

        // Everything is there: derive, seed and move on (nothing above has written, so a refusal left no trace).
        store.Set(PbocCells.Cdol1, cdol1);
        store.Set(PbocCells.Cdol2, cdol2);
        if (logEntry is [byte sfi, byte count])
        {
            store.Set(PbocCells.LogEntry, logEntry);
            store.Set(PbocCells.LogFormat, logFormat);
            files.CreateEf(files.Root, FileDescriptor.Records(FileStructure.Cyclic, null, sfi, Dol.Parse(logFormat).DataLength, count, AccessCondition.Always, AccessCondition.Never));
        }

        if (loadLogEntry is not null && loadLogFormat is not null)
        {
            CreateLoadLog(context, loadLogEntry, loadLogFormat);
        }

        var state = new PbocStore(store);
        state.Atc = store.Get(PbocCells.Data(new Tag(0x9F36))) is [byte high, byte low] ? (ushort)((high << 8) | low) : (ushort)0;
        state.LastOnlineAtc = store.Get(PbocCells.Data(new Tag(0x9F13))) is [byte h, byte l] ? (ushort)((h << 8) | l) : (ushort)0;
        state.OfflineCount = 0;
        state.OfflineAmount = 0;
        state.Flags = PbocFlags.None;
        state.ScriptCount = 0;
        foreach (uint seeded in new uint[] { 0x9F36, 0x9F13, 0x9F4D, 0x9F4F })
        {
            store.Delete(PbocCells.Data(new Tag(seeded)));
        }

        context.LifeCycle = ApplicationLifeCycle.Personalized;
        return StatusWord.Success;
    }

    /// <summary>CDOL1 (8C) and CDOL2 (8D) from the personalised records (contract P4): both present (6A88) and usable (6A80).</summary>
    private static StatusWord FindCdols(FileSystem files, out byte[] cdol1, out byte[] cdol2)
    {
        cdol1 = [];
        cdol2 = [];
        byte[]? first = null;
        byte[]? second = null;
        foreach (var file in files.Children(files.Root))
        {
            if (file.Descriptor.Structure != FileStructure.LinearVariable)
            {
                continue;
            }

            int count = files.RecordCount(file);
            for (int number = 1; number <= count; number++)
            {
                if (files.TryReadRecord(file, number, out var record) && TryReadRecordTemplate(record, out var objects))
                {
                    first ??= objects.GetValueOrDefault(0x8Cu);
                    second ??= objects.GetValueOrDefault(0x8Du);
                }
            }
        }

        if (first is null || second is null)
        {
            return StatusWord.ReferencedDataNotFound;
        }

        if (!IsUsableCdol(first, second: false) || !IsUsableCdol(second, second: true))
        {
            return StatusWord.IncorrectData;
        }

        cdol1 = first;
        cdol2 = second;
        return StatusWord.Success;
    }

    /// <summary>
    /// The ICC key of the suite, required when the AIP offers DDA or CDA. RSA (D8): the CRT parts must agree with the
    /// modulus and exponent of 8206/8207 (parts sent with 80 00 padding are trimmed, D11); D is derived and kept.
    /// </summary>
    private static StatusWord CheckIccKey(PersistentStore store, AlgorithmSuite suite, bool needed)
    {
        if (suite.Id == SuiteId.Sm)
        {
            return needed && !store.Contains(PbocCells.Sm2Key) ? StatusWord.ReferencedDataNotFound : StatusWord.Success;
        }

        var parts = PbocKeys.RsaParts.Select(p => store.Get(PbocCells.RsaPrefix + p)).ToArray();
        if (parts.All(p => p is null))
        {
            return needed ? StatusWord.ReferencedDataNotFound : StatusWord.Success;
        }

        if (parts.Any(p => p is null))
        {
            return StatusWord.ReferencedDataNotFound;
        }

        var normalised = NormaliseRsa(parts!);
        if (normalised is null)
        {
            return StatusWord.IncorrectData;
        }

        foreach (var (name, value) in normalised)
        {
            store.Set(PbocCells.RsaPrefix + name, value);
        }

        return StatusWord.Success;
    }

    /// <summary>qInv, dQ, dP, q, p, n, e (DGI order) checked and completed with d; null when they do not form a key.</summary>
    private static List<(string Name, byte[] Value)>? NormaliseRsa(byte[][] parts)
    {
        var n = parts[5].AsSpan().TrimStart((byte)0).ToArray();
        var e = parts[6].AsSpan().TrimStart((byte)0).ToArray();
        if (n.Length is < MinIccModulusLength or > EmvRsaPublicKey.MaxEmvModulusLength || e.Length is 0 or > 4)
        {
            return null;
        }

        int half = (n.Length + 1) / 2;
        var crt = new byte[5][];
        for (int i = 0; i < 5; i++)
        {
            crt[i] = TrimIsoPadding(parts[i], half);
        }

        var (qInv, dq, dp, q, p) = (Unsigned(crt[0]), Unsigned(crt[1]), Unsigned(crt[2]), Unsigned(crt[3]), Unsigned(crt[4]));
        var modulus = Unsigned(n);
        var exponent = Unsigned(e);
        if (p <= BigInteger.One || q <= BigInteger.One || p * q != modulus || exponent < 3 || exponent.IsEven)
        {
            return null;
        }

        var phi = (p - 1) * (q - 1);
        if (!TryInverse(exponent, phi, out var d) || d % (p - 1) != dp || d % (q - 1) != dq || (qInv * q) % p != BigInteger.One)
        {
            return null;
        }

        var result = new List<(string, byte[])>
        {
            ("qinv", crt[0]), ("dq", crt[1]), ("dp", crt[2]), ("q", crt[3]), ("p", crt[4]), ("n", n), ("e", e),
            ("d", d.ToByteArray(isUnsigned: true, isBigEndian: true)),
        };

        // One signature with the assembled key proves the commands will find a working key.
        return TrySign(result.ToDictionary(r => r.Item1, r => r.Item2)) ? result : null;
    }

    private static bool TrySign(Dictionary<string, byte[]> parts)
    {
        var parameters = new RSAParameters
        {
            Modulus = parts["n"],
            Exponent = parts["e"],
            D = parts["d"],
            P = parts["p"],
            Q = parts["q"],
            DP = parts["dp"],
            DQ = parts["dq"],
            InverseQ = parts["qinv"],
        };
        try
        {
            using var key = new EmvRsaPrivateKey(parameters);
            var block = new byte[key.ModulusLength];
            block[0] = 0x6A;
            block[^1] = 0xBC;
            var signature = EmvRsa.Sign(key, block);
            return EmvRsa.Recover(key.PublicKey, signature).AsSpan().SequenceEqual(block);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A part longer than half the modulus that ends 80 00… is one the security domain left padded (D11).</summary>
    private static byte[] TrimIsoPadding(byte[] part, int half)
    {
        if (part.Length <= half)
        {
            return part;
        }

        int end = part.AsSpan().LastIndexOfAnyExcept((byte)0);
        return end >= 0 && part[end] == 0x80 && end <= half ? part[..end] : part;
    }

    private static BigInteger Unsigned(byte[] bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    /// <summary>The inverse of <paramref name="value"/> modulo <paramref name="modulus"/> (extended Euclid).</summary>
    private static bool TryInverse(BigInteger value, BigInteger modulus, out BigInteger inverse)
    {
        var (r0, r1) = (modulus, value % modulus);
        var (t0, t1) = (BigInteger.Zero, BigInteger.One);
        while (!r1.IsZero)
        {
            var quotient = r0 / r1;
            (r0, r1) = (r1, r0 - (quotient * r1));
            (t0, t1) = (t1, t0 - (quotient * t1));
        }

        inverse = t0 < 0 ? t0 + modulus : t0;
        return r0.IsOne;
    }

    /// <summary>
    /// The log entry (9F4D from 0D01/0E01, else from the FCI's BF0C) and format (9F4F), contract P11: an SFI no record
    /// file uses and 1–254 records, a DOL of 1–255 bytes of data. No entry means no log.
    /// </summary>
    private static StatusWord CheckLog(ApplicationContext context, out byte[]? entry, out byte[] format)
    {
        var store = context.Store;
        format = store.Get(PbocCells.Data(new Tag(0x9F4F))) ?? [];
        entry = store.Get(PbocCells.Data(new Tag(0x9F4D)));
        if (entry is null && context.Files.GetFci(context.Files.Root) is { } fci && TlvNode.TryParse(fci, out var nodes, out _))
        {
            entry = nodes.Select(n => n.Find(new Tag(0x9F4D))).FirstOrDefault(n => n is not null)?.Value.ToArray();
        }

        if (entry is null)
        {
            return StatusWord.Success;
        }

        if (format.Length == 0)
        {
            return StatusWord.ReferencedDataNotFound;
        }

        bool ok = entry is [byte sfi, byte count] && sfi is >= 1 and <= 30 && count is >= 1 and <= FileDescriptor.MaxRecordCount
            && context.Files.FindBySfi(context.Files.Root, sfi) is null
            && Dol.TryParse(format, out var dol) && dol.DataLength is >= 1 and <= FileDescriptor.MaxRecordSize;
        return ok ? StatusWord.Success : StatusWord.IncorrectData;
    }
}
