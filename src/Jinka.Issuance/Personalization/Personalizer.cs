using System.Globalization;
using System.Security.Cryptography;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.Crypto.GlobalPlatform;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Issuance.Keys;
using Jinka.Issuance.Preparation;
using static Jinka.Issuance.Personalization.ApduCheck;

namespace Jinka.Issuance.Personalization;

/// <summary>The security domain's static SCP02 keys as the personalisation machine holds them (test keys: D13).</summary>
public sealed record Scp02StaticKeys(byte KeyVersion, byte[] Enc, byte[] Mac, byte[] Dek)
{
    /// <summary>404142…4F for ENC, MAC and DEK, key version 01 (D13).</summary>
    public static Scp02StaticKeys GlobalPlatformTestKeys => new(
        IssuerSecurityDomain.DefaultKeyVersion, IssuerSecurityDomain.DefaultTestKey.ToArray(), IssuerSecurityDomain.DefaultTestKey.ToArray(), IssuerSecurityDomain.DefaultTestKey.ToArray());

    /// <summary>True for the keys an ISD is installed with (version 01, 404142…4F).</summary>
    public bool IsGlobalPlatformTestKeys => KeyVersion == IssuerSecurityDomain.DefaultKeyVersion
        && Enc.AsSpan().SequenceEqual(IssuerSecurityDomain.DefaultTestKey)
        && Mac.AsSpan().SequenceEqual(IssuerSecurityDomain.DefaultTestKey)
        && Dek.AsSpan().SequenceEqual(IssuerSecurityDomain.DefaultTestKey);
}

/// <summary>How the personaliser talks to the card.</summary>
public sealed record PersonalizerOptions
{
    public Aid SecurityDomain { get; init; } = IssuerSecurityDomain.DefaultAid;

    public Scp02StaticKeys Keys { get; init; } = Scp02StaticKeys.GlobalPlatformTestKeys;

    /// <summary>C-MAC (D-contract); C-MAC + C-DECRYPTION also works, with smaller STORE DATA blocks.</summary>
    public Scp02SecurityLevel Level { get; init; } = Scp02SecurityLevel.CMac;

    /// <summary>Host challenges; the system CSPRNG when null.</summary>
    public IRandomSource? Random { get; init; }

    /// <summary>The executable modules the ISD offers (load file and module AIDs for INSTALL).</summary>
    public ExecutableModuleTable Modules { get; init; } = ExecutableModuleTable.Default;
}

/// <summary>What a personalisation did: the APDUs exchanged (as sent, wrapped) and what it installed.</summary>
public sealed record PersonalizationReport(IReadOnlyList<ApduExchange> Exchanges, IReadOnlyList<Aid> Installed, int StoreDataCommands);

/// <summary>
/// The personalisation machine (NOTES D.2–D.4; contract D1–D14): SELECT the ISD, open SCP02 (INITIALIZE UPDATE,
/// check the card cryptogram, EXTERNAL AUTHENTICATE), list what is installed (GET STATUS), install the PSE and the
/// PBOC applications that are missing, then for each: INSTALL [for personalisation] and STORE DATA blocks — clear
/// DGIs first, the KCVs, then the secret DGIs encrypted under the DEK session key. The card's UDKs never appear in
/// clear here: the key store derives them and wraps them under the DEK session key, which it holds as a transient
/// KEK for the length of the call (D17). Every status word is checked; a refusal throws
/// <see cref="PersonalizationException"/> naming the step.
/// </summary>
public sealed class Personalizer(IKeyStoreAdministration keyStore, PersonalizerOptions? options = null)
{
    private readonly IKeyStoreAdministration _keyStore = keyStore ?? throw new ArgumentNullException(nameof(keyStore));
    private readonly PersonalizerOptions _options = options ?? new PersonalizerOptions();

    /// <exception cref="PersonalizationException">The card refused a step or failed the secure channel.</exception>
    /// <exception cref="KeyStoreException">A master key the card needs is not in the key store.</exception>
    public async Task<PersonalizationReport> PersonalizeAsync(IApduTransport transport, PreparedCard card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(card);
        // 61xx / 6Cxx housekeeping (T=0 readers and cards) below the recording, so the script shows whole exchanges.
        await using var handling = new StatusWordHandlingTransport(transport, leaveOpen: true);
        await using var recording = new RecordingTransport(handling, leaveOpen: true);
        var isd = _options.SecurityDomain;
        Check(await recording.TransmitAsync(ApduCommands.SelectByName(isd.Span), cancellationToken).ConfigureAwait(false), $"SELECT the security domain {isd}");
        using var channel = await OpenAsync(recording, cancellationToken).ConfigureAwait(false);

        var present = await ListApplicationsAsync(channel, cancellationToken).ConfigureAwait(false);
        var installed = new List<Aid>();
        if (!present.Contains(Aid.Pse))
        {
            await InstallAsync(channel, ApplicationCatalog.PseModule, Aid.Pse, new ApplicationInstallParameters(), cancellationToken).ConfigureAwait(false);
            installed.Add(Aid.Pse);
        }

        // Contract Q1: a contactless card lists its applications in the PPSE too; the OS builds the PPSE FCI from the registry.
        bool contactless = card.Profile.Contactless;
        if (contactless && !present.Contains(Aid.Ppse))
        {
            await InstallAsync(channel, ApplicationCatalog.PpseModule, Aid.Ppse, new ApplicationInstallParameters(), cancellationToken).ConfigureAwait(false);
            installed.Add(Aid.Ppse);
        }

        var listing = contactless ? DirectoryListing.Pse | DirectoryListing.Ppse : DirectoryListing.Pse;
        foreach (var application in card.Applications.Select(a => a.Application).Where(a => !present.Contains(a.Aid)))
        {
            var parameters = new ApplicationInstallParameters { Label = application.Label, Priority = application.Priority, Listing = listing };
            await InstallAsync(channel, ExecutableModuleTable.PbocModuleName, application.Aid, parameters, cancellationToken).ConfigureAwait(false);
            installed.Add(application.Aid);
        }

        int commands = await StoreAsync(channel, Aid.Pse, card.PseDgis.Select(d => (d, false)).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var application in card.Applications)
        {
            commands += await StoreAsync(channel, application.Application.Aid, ApplicationDgis(channel, application), cancellationToken).ConfigureAwait(false);
        }

        return new PersonalizationReport(recording.Exchanges, installed, commands);
    }

    private async Task<Channel> OpenAsync(IApduTransport transport, CancellationToken cancellationToken)
    {
        var keys = _options.Keys;
        var hostChallenge = new byte[8];
        (_options.Random ?? SystemRandomSource.Instance).Fill(hostChallenge);
        var response = Check(await transport.TransmitAsync(new CommandApdu(0x80, 0x50, keys.KeyVersion, 0x00, hostChallenge, 256), cancellationToken).ConfigureAwait(false), "INITIALIZE UPDATE");
        var data = response.Data.ToArray();
        if (data.Length != 28 || data[11] != 0x02 || (keys.KeyVersion != 0 && data[10] != keys.KeyVersion))
        {
            throw new PersonalizationException($"INITIALIZE UPDATE answered {Hex.Encode(data)}: not an SCP02 response for key version {keys.KeyVersion:X2}");
        }

        var sequence = data[12..14];
        var session = new Scp02Session(keys.Enc, keys.Mac, keys.Dek, sequence);
        try
        {
            if (!session.VerifyCardCryptogram(hostChallenge, data.AsSpan(14, 6), data.AsSpan(20, 8)))
            {
                throw new PersonalizationException("INITIALIZE UPDATE: the card cryptogram is wrong (the security domain has other static keys)");
            }

            var authenticate = CommandApdu.Parse(session.BuildExternalAuthenticate(hostChallenge, data.AsSpan(14, 6), _options.Level));
            Check(await transport.TransmitAsync(authenticate, cancellationToken).ConfigureAwait(false), "EXTERNAL AUTHENTICATE");
            return new Channel(transport, session, keys.Dek, sequence, _options.Level);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static async Task<HashSet<Aid>> ListApplicationsAsync(Channel channel, CancellationToken cancellationToken)
    {
        var present = new HashSet<Aid>();
        byte p2 = 0x00;
        while (true)
        {
            var response = Check(await channel.SendAsync(new CommandApdu(0x80, 0xF2, 0x40, p2, [0x4F, 0x00], 256), cancellationToken).ConfigureAwait(false),
                "GET STATUS of the applications", 0x9000, 0x6310, 0x6A88);
            var data = response.Data.Span;
            for (int offset = 0; offset < data.Length;)
            {
                int length = data[offset];
                if (offset + 1 + length + 2 > data.Length)
                {
                    throw new PersonalizationException($"GET STATUS answered a malformed entry at offset {offset}: {Hex.Encode(data)}");
                }

                present.Add(new Aid(data.Slice(offset + 1, length)));
                offset += 1 + length + 2;
            }

            if (response.StatusWord.Value != 0x6310)
            {
                return present;
            }

            p2 = 0x01;
        }
    }

    private async Task InstallAsync(Channel channel, string moduleName, Aid aid, ApplicationInstallParameters parameters, CancellationToken cancellationToken)
    {
        var module = _options.Modules.FindByName(moduleName)
            ?? throw new PersonalizationException($"the module table has no executable module for '{moduleName}'");
        var data = InstallData.ForInstall(module.LoadFile, module.Module, aid, ApplicationPrivileges.None, parameters).Encode();
        Check(await channel.SendAsync(new CommandApdu(0x80, 0xE6, 0x0C, 0x00, data, 256), cancellationToken).ConfigureAwait(false), $"INSTALL [for install and make selectable] {aid}");
    }

    /// <summary>Plain DGIs, the KCV DGI, then the encrypted key DGI and the encrypted secrets (D14).</summary>
    private List<(DgiElement Dgi, bool Encrypted)> ApplicationDgis(Channel channel, PreparedApplication application)
    {
        var dgis = application.PlainDgis.Select(d => (d, false)).ToList();
        var export = application.CardKeys;
        var (keys, kcvs) = channel.ExportCardKeys(_keyStore, export);
        dgis.Add((new DgiElement(export.KcvDgi, kcvs), false));
        dgis.Add((new DgiElement(export.KeysDgi, keys), true));
        foreach (var secret in application.SecretDgis)
        {
            var padded = DgiProtection.Pad(secret.Value.Span);
            dgis.Add((new DgiElement(secret.Dgi, channel.Session.EncryptKey(padded)), true));
            CryptographicOperations.ZeroMemory(padded);
        }

        return dgis;
    }

    /// <summary>INSTALL [for personalisation], then STORE DATA blocks packing consecutive DGIs of one kind (clear or encrypted) up to the block size.</summary>
    private static async Task<int> StoreAsync(Channel channel, Aid aid, List<(DgiElement Dgi, bool Encrypted)> dgis, CancellationToken cancellationToken)
    {
        Check(await channel.SendAsync(new CommandApdu(0x80, 0xE6, 0x20, 0x00, InstallData.ForPersonalization(aid).Encode(), 256), cancellationToken).ConfigureAwait(false),
            $"INSTALL [for personalisation] {aid}");
        var blocks = new List<(byte[] Data, bool Encrypted)>();
        foreach (var (dgi, encrypted) in dgis)
        {
            var encoded = DgiEncoding.Encode(dgi.Dgi, dgi.Value.Span);
            if (encoded.Length > channel.MaxBlockLength)
            {
                throw new PersonalizationException(string.Create(CultureInfo.InvariantCulture,
                    $"DGI {dgi.Dgi:X4} takes {encoded.Length} bytes; a STORE DATA at this security level carries {channel.MaxBlockLength}"));
            }

            if (blocks.Count == 0 || blocks[^1].Encrypted != encrypted || blocks[^1].Data.Length + encoded.Length > channel.MaxBlockLength)
            {
                blocks.Add((encoded, encrypted));
            }
            else
            {
                blocks[^1] = ([.. blocks[^1].Data, .. encoded], encrypted);
            }
        }

        for (int i = 0; i < blocks.Count; i++)
        {
            byte p1 = (byte)((i == blocks.Count - 1 ? 0x80 : 0x00) | (blocks[i].Encrypted ? 0x60 : 0x00));
            var command = new CommandApdu(0x80, 0xE2, p1, (byte)i, blocks[i].Data);
            Check(await channel.SendAsync(command, cancellationToken).ConfigureAwait(false), $"STORE DATA block {i:X2} for {aid}");
        }

        return blocks.Count;
    }

    /// <summary>One open secure channel: wraps commands, and knows the DEK session key for key export.</summary>
    private sealed class Channel(IApduTransport transport, Scp02Session session, byte[] staticDek, byte[] sequence, Scp02SecurityLevel level) : IDisposable
    {
        public Scp02Session Session { get; } = session;

        /// <summary>Plain STORE DATA bytes one short command carries: 255, less 8 for the C-MAC, less the padding C-DECRYPTION adds.</summary>
        public int MaxBlockLength => level.HasFlag(Scp02SecurityLevel.CDecryption) ? 239 : level.HasFlag(Scp02SecurityLevel.CMac) ? 247 : 255;

        public ValueTask<ResponseApdu> SendAsync(CommandApdu plain, CancellationToken cancellationToken) =>
            transport.TransmitAsync(CommandApdu.Parse(Session.Wrap(plain.ToArray())), cancellationToken);

        /// <summary>The three UDKs wrapped under the DEK session key (ECB) and their KCVs, by the key store.</summary>
        public (byte[] Keys, byte[] Kcvs) ExportCardKeys(IKeyStoreAdministration store, CardKeyExport export)
        {
            var dekSession = GC.AllocateArray<byte>(Scp02.KeyLength, pinned: true);
            string label = "jinka-perso-dek-" + Guid.NewGuid().ToString("N");
            try
            {
                Scp02.DeriveSessionKey(staticDek, Scp02SessionKeyType.Dek, sequence, dekSession);
                store.ImportClearKey(label, KeyUsage.Kek, CipherAlgorithm.TripleDes, dekSession);
                var wrapped = new[] { export.MdkAcLabel, export.MdkMacLabel, export.MdkEncLabel }
                    .Select(mdk => store.ExportCardKey(mdk, label, export.Pan, export.Psn, export.Option))
                    .ToList();
                return ([.. wrapped.SelectMany(w => w.Ciphertext)], [.. wrapped.SelectMany(w => Hex.Parse(w.KeyCheckValue))]);
            }
            finally
            {
                store.Remove(label);
                CryptographicOperations.ZeroMemory(dekSession);
            }
        }

        public void Dispose() => Session.Dispose();
    }
}
