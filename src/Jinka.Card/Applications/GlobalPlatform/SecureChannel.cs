using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Crypto.GlobalPlatform;

namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>
/// The security domain's volatile state for one SCP02 secure channel (NOTES D.2) and the personalisation it carries:
/// created by INITIALIZE UPDATE, opened by EXTERNAL AUTHENTICATE, closed by a MAC failure, a new INITIALIZE UPDATE,
/// a reselection or a reset. Key material lives in pinned buffers zeroed on <see cref="Close"/>.
/// </summary>
internal sealed class SecureChannel
{
    private byte[]? _dekSessionKey;

    public Scp02Session? Session { get; private set; }

    public byte[] HostChallenge { get; private set; } = [];

    public byte[] CardChallenge { get; private set; } = [];

    public byte KeyVersion { get; private set; }

    public Scp02SecurityLevel Level { get; set; }

    /// <summary>The DEK session key (3DES-ECB decryption of secret DGIs, D11).</summary>
    public ReadOnlySpan<byte> DekSessionKey => _dekSessionKey ?? throw new InvalidOperationException("no secure channel");

    /// <summary>The application named by INSTALL [for personalisation], or null.</summary>
    public Aid? Target { get; set; }

    /// <summary>The target's catalog module (the directories are personalised by the domain itself).</summary>
    public string? TargetModule { get; set; }

    /// <summary>The P2 the next STORE DATA must carry.</summary>
    public int NextBlock { get; set; }

    /// <summary>The last STORE DATA block (P1 b8) has been processed: the personalisation is over.</summary>
    public bool PersonalizationFinished { get; set; }

    /// <summary>Modulus length from DGI 8206 of this personalisation, fixing the length of the CRT parts 8201–8205.</summary>
    public int? RsaModulusLength { get; set; }

    /// <summary>GET STATUS entries not yet returned (answered 6310 before).</summary>
    public Queue<byte[]>? PendingStatus { get; set; }

    /// <summary>Starts a channel: derives the session keys for the key set and the sequence counter.</summary>
    public void Open(byte keyVersion, ReadOnlySpan<byte> keySet, ReadOnlySpan<byte> sequenceCounter, byte[] hostChallenge, byte[] cardChallenge)
    {
        Close();
        KeyVersion = keyVersion;
        Session = new Scp02Session(keySet[..16], keySet[16..32], keySet[32..48], sequenceCounter, icvEncryption: true);
        _dekSessionKey = GC.AllocateArray<byte>(Scp02.KeyLength, pinned: true);
        Scp02.DeriveSessionKey(keySet[32..48], Scp02SessionKeyType.Dek, sequenceCounter, _dekSessionKey);
        HostChallenge = hostChallenge;
        CardChallenge = cardChallenge;
    }

    /// <summary>Forgets the channel and everything that depended on it.</summary>
    public void Close()
    {
        Session?.Dispose();
        Session = null;
        if (_dekSessionKey is not null)
        {
            CryptographicOperations.ZeroMemory(_dekSessionKey);
            _dekSessionKey = null;
        }

        HostChallenge = [];
        CardChallenge = [];
        Level = Scp02SecurityLevel.None;
        Target = null;
        TargetModule = null;
        NextBlock = 0;
        PersonalizationFinished = false;
        RsaModulusLength = null;
        PendingStatus = null;
    }
}

/// <summary>
/// SCP02 command protection as the dispatch table's secure messaging (CLA 84): EXTERNAL AUTHENTICATE passes through
/// to its handler, which checks the host cryptogram and the C-MAC itself; every later command must carry a C-MAC
/// continuing the ICV chain (ICV encryption, i = 15) and, at level 03, C-DECRYPTION. A wrong MAC closes the
/// channel and answers 6982 (GP Card Spec v2.2 E.4.4).
/// </summary>
internal sealed class Scp02SecureMessaging : ISecureMessaging
{
    public SecureMessagingResult Unwrap(CommandContext context, CommandApdu command)
    {
        if (command.Ins == IssuerSecurityDomain.ExternalAuthenticateIns)
        {
            return SecureMessagingResult.Verified(command);
        }

        var channel = context.Volatile<SecureChannel>();
        if (context.GetPhase<IssuerSecurityDomain.Phase>() != IssuerSecurityDomain.Phase.Authenticated
            || channel.Session is null
            || !channel.Level.HasFlag(Scp02SecurityLevel.CMac)
            || command.IsExtended
            || !channel.Session.TryUnwrap(command.ToArray(), out var plain)
            || !CommandApdu.TryParse(plain, out var unwrapped, out _))
        {
            IssuerSecurityDomain.CloseChannel(context);
            return SecureMessagingResult.Refused(StatusWord.SecurityStatusNotSatisfied);
        }

        return SecureMessagingResult.Verified(unwrapped);
    }
}
