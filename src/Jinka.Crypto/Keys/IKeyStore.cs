using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Keys;

/// <summary>
/// The operations the host (issuer) side needs from a hardware security module. Keys are named by label; no
/// member returns a clear key. Card keys (UDKs) and session keys are derived inside, used, and discarded.
/// </summary>
/// <remarks>
/// <para>Card identity for the EMV operations: PAN digits (tag 5A, F padding allowed), PSN (tag 5F34 byte), and
/// the ATC (9F36, 2 bytes). The <c>scheme</c> arguments choose option A/B and the session key method.</para>
/// <para>The suite follows the key's algorithm: a 3DES master key gives International cryptograms, an SM4 key SM ones.</para>
/// <para>Where an operation names an MDK label, a card key of the matching usage (<see cref="KeyUsage.CardAc"/>,
/// <see cref="KeyUsage.CardMac"/>, <see cref="KeyUsage.CardEnc"/>: the card's UDK itself) serves as well; the UDK
/// derivation step is then skipped.</para>
/// </remarks>
public interface IKeyStore
{
    /// <summary>Describes the key with <paramref name="label"/>, if present.</summary>
    bool TryGetInfo(string label, [NotNullWhen(true)] out KeyInfo? info);

    /// <summary>Describes the key with <paramref name="label"/>.</summary>
    /// <exception cref="KeyStoreException">No such key.</exception>
    KeyInfo GetInfo(string label);

    /// <summary>All keys, ordered by label.</summary>
    IReadOnlyList<KeyInfo> ListKeys();

    /// <summary>The key's 3-byte check value.</summary>
    byte[] KeyCheckValue(string label);

    /// <summary>
    /// Derives the card's AC key and session key from the MDK-AC <paramref name="label"/> and checks the ARQC over
    /// the assembled <paramref name="acData"/> in constant time.
    /// </summary>
    bool VerifyArqc(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> acData, ReadOnlySpan<byte> arqc, EmvKeyScheme scheme);

    /// <summary>ARPC method 1 (8 bytes) for the ARQC and the 2-byte response code (e.g. "00" = 3030).</summary>
    void GenerateArpc(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> arc, EmvKeyScheme scheme, Span<byte> arpc);

    /// <summary>ARPC method 2 (4 bytes) over ARQC ‖ CSU ‖ proprietary authentication data.</summary>
    void GenerateArpcMethod2(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> csu, ReadOnlySpan<byte> proprietaryData, EmvKeyScheme scheme, Span<byte> arpc);

    /// <summary>Issuer script MAC (4 bytes) under the MDK-MAC <paramref name="label"/>, over the assembled MAC input.</summary>
    void GenerateScriptMac(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> macInput, EmvKeyScheme scheme, Span<byte> mac);

    /// <summary>Issuer script data encryption under the MDK-ENC <paramref name="label"/>.</summary>
    byte[] EncryptScriptData(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> plaintext, EmvKeyScheme scheme);

    /// <summary>
    /// Encrypts a clear PIN as an ISO 9564-1 format 0 PIN block for <paramref name="pan"/> under the PIN key
    /// <paramref name="pinKeyLabel"/> (usage <see cref="KeyUsage.PinEncryption"/>): what a PIN pad or an HSM's
    /// "encrypt a clear PIN" command does. The result is the only form in which a new PIN should be kept.
    /// </summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits or the PAN is malformed.</exception>
    byte[] EncryptPin(string pinKeyLabel, ReadOnlySpan<char> pin, ReadOnlySpan<char> pan);

    /// <summary>
    /// The data of a PIN CHANGE/UNBLOCK script command (EMV Book 3 §6.5.10): decrypts the format 0 block under
    /// <paramref name="pinKeyLabel"/>, turns it into the card's offline PIN block (ISO format 2) and enciphers that
    /// as script data (spec choice 11: <c>Ld ‖ PIN block ‖ 80 ‖ 00…</c>, ECB) under the ENC session key derived from
    /// <paramref name="encLabel"/> for this card and ATC. The PIN is clear only inside the store.
    /// </summary>
    /// <exception cref="KeyStoreException">The PIN block does not decrypt to a valid format 0 block for the PAN.</exception>
    byte[] TranslatePinForScript(string pinKeyLabel, ReadOnlySpan<byte> encryptedPinBlock, string encLabel, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, EmvKeyScheme scheme);

    /// <summary>
    /// Issuance: the Visa PIN Verification Value (4 digits) of <paramref name="pin"/> for <paramref name="pan"/> under
    /// the PVK <paramref name="pvkLabel"/> (usage <see cref="KeyUsage.PinVerification"/>) with key index
    /// <paramref name="pvki"/>. The method covers the 4 leftmost PIN digits only.
    /// </summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits, the PAN is malformed or shorter than 12 digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pvki"/> is not 0–6.</exception>
    /// <exception cref="KeyStoreException">No such key, or not a 16-byte 3DES PIN verification key.</exception>
    string GeneratePvv(string pvkLabel, ReadOnlySpan<char> pan, int pvki, ReadOnlySpan<char> pin);

    /// <summary>
    /// Online PIN verification: decodes the clear ISO 9564-1 format 0 <paramref name="clearFormat0PinBlock"/> for
    /// <paramref name="pan"/>, computes the PVV of its PIN and compares it with <paramref name="pvv"/> in constant time.
    /// The PIN is clear only inside the store. False — never an exception — for a wrong PIN and for a block that is
    /// not 8 bytes, not format 0, not for this PAN, or holds a PIN outside 4–12 digits; also for a malformed PAN,
    /// PVKI or PVV.
    /// </summary>
    /// <exception cref="KeyStoreException">No such key, or not a 16-byte 3DES PIN verification key.</exception>
    bool VerifyPinBlock(string pvkLabel, ReadOnlySpan<byte> clearFormat0PinBlock, ReadOnlySpan<char> pan, int pvki, ReadOnlySpan<char> pvv);

    /// <summary>
    /// Personalisation: derives the card's UDK from the MDK <paramref name="mdkLabel"/> and returns it encrypted under
    /// the KEK <paramref name="kekLabel"/> (ECB), with the KCV of the clear UDK.
    /// </summary>
    WrappedKey ExportCardKey(string mdkLabel, string kekLabel, ReadOnlySpan<char> pan, byte psn, UdkOption option);
}

/// <summary>Administration of a key store: loading and removing keys. Not for the transaction path.</summary>
public interface IKeyStoreAdministration : IKeyStore
{
    /// <summary>
    /// Imports a clear key (test and ceremony use). When <paramref name="expectedKcv"/> is given, the key is refused
    /// unless its KCV matches.
    /// </summary>
    /// <exception cref="KeyStoreException">The label exists or the KCV does not match.</exception>
    KeyInfo ImportClearKey(string label, KeyUsage usage, CipherAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> expectedKcv = default);

    /// <summary>Generates a random key inside the store.</summary>
    KeyInfo GenerateKey(string label, KeyUsage usage, CipherAlgorithm algorithm, int length = 16);

    /// <summary>Removes and zeroes a key; false when absent.</summary>
    bool Remove(string label);
}
