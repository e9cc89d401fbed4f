using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Core.Apdu;

namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>STORE DATA: personalisation DGIs for the application named by INSTALL [for personalisation] (NOTES D.4; D1–D14).</summary>
public sealed partial class IssuerSecurityDomain
{
    private const byte LastBlock = 0x80;
    private const byte EncryptionMask = 0x60;
    private const byte AllEncrypted = 0x60;
    private const byte DgiFormat = 0x08;

    /// <summary>Largest record a payment directory file takes (FileDescriptor.MaxRecordSize).</summary>
    private const int DirectoryRecordLimit = 255;

    /// <summary>
    /// 80 E2 P1 P2 DGI…: P1 b8 last block, b7–b6 00 (plain) or 11 (every DGI encrypted under the DEK session key),
    /// b5–b4 00 or 01 (DGI format), b3–b1 000; P2 the block number, 00, 01, … (6A86 otherwise). Each DGI goes to the
    /// application in order inside this command's transaction: the first refusal rolls the whole block back and is
    /// answered. 6985 without INSTALL [for personalisation] or after the last block; 6A80 for DGIs that do not parse
    /// or decrypt; 6982 for a secret DGI sent in clear.
    /// </summary>
    private static ResponseApdu StoreData(CommandContext context)
    {
        if (RequireSecureChannel(context) is { } refused)
        {
            return Responses.Status(refused);
        }

        var channel = context.Volatile<SecureChannel>();
        if (channel.Target is null || channel.PersonalizationFinished)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        var command = context.Command;
        byte encryption = (byte)(command.P1 & EncryptionMask);
        if (encryption is not (0x00 or AllEncrypted) || (command.P1 & 0x1F) is not (0x00 or DgiFormat) || command.P2 != channel.NextBlock)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (!DgiEncoding.TryReadAll(command.Data.Span, out var elements, out _))
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        bool last = (command.P1 & LastBlock) != 0;
        int? modulusLength = channel.RsaModulusLength;
        for (int i = 0; i < elements.Count; i++)
        {
            // The application hears "last" with the final DGI only (IPersonalizable): it then checks completeness.
            var status = StoreOne(context, channel, elements[i], encryption == AllEncrypted, last && i == elements.Count - 1, ref modulusLength);
            if (status != StatusWord.Success)
            {
                return context.Rollback(status);
            }
        }

        channel.RsaModulusLength = modulusLength;
        channel.NextBlock++;
        channel.PersonalizationFinished = last;
        return Responses.Ok();
    }

    private static StatusWord StoreOne(CommandContext context, SecureChannel channel, DgiElement element, bool encrypted, bool last, ref int? modulusLength)
    {
        ushort dgi = element.Dgi;
        if (!encrypted)
        {
            if (DgiProtection.IsSecret(dgi))
            {
                return StatusWord.SecurityStatusNotSatisfied;
            }

            if (dgi == DgiProtection.RsaModulus)
            {
                modulusLength = element.Value.Length;
            }

            return Route(context, channel, dgi, element.Value.Span, last);
        }

        if (DgiProtection.IsRsaCrtPart(dgi) && modulusLength is null)
        {
            // The CRT parts' length comes from the modulus (8206), which must come first (D14).
            return StatusWord.ConditionsOfUseNotSatisfied;
        }

        var clear = DgiProtection.Decrypt(channel.DekSessionKey, element.Value.Span);
        if (clear is null)
        {
            return StatusWord.IncorrectData;
        }

        try
        {
            if (!DgiProtection.TryRemovePadding(dgi, clear, DgiProtection.DefinedLength(dgi, modulusLength), out int clearLength, out _))
            {
                return StatusWord.IncorrectData;
            }

            return Route(context, channel, dgi, clear.AsSpan(0, clearLength), last);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    private static StatusWord Route(CommandContext context, SecureChannel channel, ushort dgi, ReadOnlySpan<byte> value, bool last)
    {
        var target = channel.Target!;
        if (channel.TargetModule is ApplicationCatalog.PseModule or ApplicationCatalog.PpseModule)
        {
            var status = StatusWord.Success;
            var copy = value.ToArray();
            context.CardManager!.Personalize(target, directory => status = PersonalizeDirectory(directory, dgi, copy));
            return status;
        }

        return context.CardManager!.StoreDgi(target, dgi, value, last);
    }

    /// <summary>
    /// The payment directories are built into the OS and take no DGIs themselves, so their domain personalises them
    /// (D12): record DGIs SSRR write record RR of a linear file with SFI SS, which replaces the directory built from
    /// the registry; 9102 (contact) or 9103 (contactless) becomes the FCI proprietary template. Anything else is 6A80.
    /// </summary>
    private static StatusWord PersonalizeDirectory(ApplicationContext directory, ushort dgi, byte[] value)
    {
        var files = directory.Files;
        int sfi = dgi >> 8;
        int record = dgi & 0xFF;
        if (sfi is >= 1 and <= 30 && record >= 1 && record <= FileDescriptor.MaxRecordCount)
        {
            if (value.Length is 0 or > DirectoryRecordLimit)
            {
                return StatusWord.IncorrectData;
            }

            var ef = files.FindBySfi(files.Root, sfi)
                ?? files.CreateEf(files.Root, FileDescriptor.Records(FileStructure.LinearVariable, null, sfi, DirectoryRecordLimit, FileDescriptor.MaxRecordCount));
            files.WriteRecord(ef, record, value);
            return StatusWord.Success;
        }

        if (dgi is 0x9102 or 0x9103)
        {
            files.SetFci(files.Root, Fci.Build(directory.Aid!, value));
            return StatusWord.Success;
        }

        return StatusWord.IncorrectData;
    }
}
