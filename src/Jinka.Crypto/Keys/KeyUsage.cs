using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Keys;

/// <summary>What a stored key may be used for. Every key store operation checks it.</summary>
public enum KeyUsage
{
    /// <summary>Issuer master key for application cryptograms (MDK-AC): ARQC verification, ARPC.</summary>
    MdkAc,

    /// <summary>Issuer master key for secure messaging integrity (MDK-MAC): issuer script MACs.</summary>
    MdkMac,

    /// <summary>Issuer master key for secure messaging confidentiality (MDK-ENC): script data encryption.</summary>
    MdkEnc,

    /// <summary>Key-encryption (transport) key: wraps keys leaving the store, e.g. card keys for personalisation.</summary>
    Kek,

    /// <summary>GlobalPlatform master key (KMC) for card static keys.</summary>
    Kmc,

    /// <summary>Transport purse load master key (DLK master).</summary>
    PurseLoad,

    /// <summary>Transport purse purchase master key (DPK master).</summary>
    PursePurchase,

    /// <summary>Transport purse TAC master key (DTK master).</summary>
    PurseTac,

    /// <summary>
    /// A card's own AC key (UDK, the ICC master key for cryptograms), used where no issuer master key is held: a card
    /// issued elsewhere, or a vector that publishes only the UDK. Serves the same operations as <see cref="MdkAc"/>
    /// without the UDK derivation step.
    /// </summary>
    CardAc,

    /// <summary>A card's own MAC key (UDK-MAC): issuer script MACs, like <see cref="MdkMac"/> without derivation.</summary>
    CardMac,

    /// <summary>A card's own ENC key (UDK-ENC): script data encryption, like <see cref="MdkEnc"/> without derivation.</summary>
    CardEnc,

    /// <summary>PIN encryption key (PEK/ZPK, 3DES): protects ISO 9564-1 format 0 PIN blocks on their way into the store.</summary>
    PinEncryption,

    /// <summary>
    /// PIN verification key (PVK, 16-byte 3DES): computes the Visa PIN Verification Value of a cardholder PIN, at
    /// issuance (<see cref="IKeyStore.GeneratePvv"/>) and online (<see cref="IKeyStore.VerifyPinBlock"/>).
    /// </summary>
    PinVerification,

    /// <summary>
    /// A POS terminal master key (TMK, 3DES), one per terminal ID: wraps the working keys (PIK, MAK) the host issues at
    /// sign-on and nothing else (<see cref="ITerminalKeyStore"/>).
    /// </summary>
    TerminalMaster,

    /// <summary>A message authentication working key (MAK, DES or 3DES): the CUP POS MAC of ISO 8583 messages (field 64).</summary>
    MessageAuthentication,
}

/// <summary>What the key store tells about a key: never the key itself.</summary>
/// <param name="Label">The key's name in the store.</param>
/// <param name="Usage">What it may be used for.</param>
/// <param name="Algorithm">Its cipher.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="KeyCheckValue">Its 3-byte KCV in hex (E_K(zero block), NOTES A.6).</param>
public sealed record KeyInfo(string Label, KeyUsage Usage, CipherAlgorithm Algorithm, int Length, string KeyCheckValue);

/// <summary>A card key exported under a key-encryption key, with the KCV of the clear key.</summary>
/// <param name="Ciphertext">The key encrypted in ECB under the KEK (3DES or SM4, the KEK's algorithm).</param>
/// <param name="KeyCheckValue">The 3-byte KCV of the clear key, in hex.</param>
public sealed record WrappedKey(byte[] Ciphertext, string KeyCheckValue);

/// <summary>A key store request that cannot be served: unknown label, wrong usage, duplicate label.</summary>
public sealed class KeyStoreException : Exception
{
    public KeyStoreException()
    {
    }

    public KeyStoreException(string message)
        : base(message)
    {
    }

    public KeyStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
