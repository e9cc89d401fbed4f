namespace Jinka.Crypto.Keys;

/// <summary>
/// The POS key hierarchy of CUP terminals: a terminal master key (TMK, usage <see cref="KeyUsage.TerminalMaster"/>)
/// per terminal, under which the host sends fresh working keys at each sign-on — the PIN key (PIK, usage
/// <see cref="KeyUsage.PinEncryption"/>) and the MAC key (MAK, usage <see cref="KeyUsage.MessageAuthentication"/>).
/// The host generates them (<see cref="GenerateWorkingKey"/>); the terminal's PIN pad imports them
/// (<see cref="ImportWorkingKey"/>). Working keys never leave the store in clear.
/// </summary>
public interface ITerminalKeyStore : IKeyStore
{
    /// <summary>
    /// Generates a random working key of <paramref name="length"/> bytes (8: DES, 16: 3DES) and stores it as
    /// <paramref name="label"/>, replacing the working key of that label and usage if there is one. Returns it
    /// encrypted (ECB) under the terminal master key <paramref name="masterKeyLabel"/>, with its check value.
    /// </summary>
    /// <exception cref="KeyStoreException">No such master key; the label holds a key of another usage.</exception>
    /// <exception cref="ArgumentException">The usage is not a working key usage, or the length is not 8 or 16.</exception>
    EncryptedWorkingKey GenerateWorkingKey(string masterKeyLabel, string label, KeyUsage usage, int length = 16);

    /// <summary>
    /// Decrypts <paramref name="encryptedKey"/> under the terminal master key and stores it as <paramref name="label"/>
    /// (replacing a working key of that label and usage), after checking its check value.
    /// </summary>
    /// <exception cref="KeyStoreException">No such master key, a check value that does not match, or the label holds a
    /// key of another usage.</exception>
    KeyInfo ImportWorkingKey(string masterKeyLabel, string label, KeyUsage usage, ReadOnlySpan<byte> encryptedKey, ReadOnlySpan<byte> checkValue);

    /// <summary>The CUP POS MAC (<see cref="Symmetric.CupPosMac"/>, 8 bytes) of <paramref name="macBlock"/> under the MAK.</summary>
    void GenerateCupPosMac(string makLabel, ReadOnlySpan<byte> macBlock, Span<byte> mac);

    /// <summary>Checks a CUP POS MAC in constant time; false for a MAC that is not 8 bytes.</summary>
    bool VerifyCupPosMac(string makLabel, ReadOnlySpan<byte> macBlock, ReadOnlySpan<byte> mac);

    /// <summary>Terminal side: encrypts a clear ISO 9564-1 PIN block (8 bytes) under the PIK for field 52.</summary>
    void EncryptPinBlock(string pikLabel, ReadOnlySpan<byte> clearPinBlock, Span<byte> encryptedPinBlock);

    /// <summary>
    /// Host side: decrypts field 52 under the PIK to the clear PIN block the issuer's PIN verification takes (the
    /// translation an HSM does between the zone PIN key and the verification step).
    /// </summary>
    void DecryptPinBlock(string pikLabel, ReadOnlySpan<byte> encryptedPinBlock, Span<byte> clearPinBlock);
}

/// <summary>A working key encrypted under a terminal master key, as field 62 of a CUP sign-on response carries it.</summary>
/// <param name="Ciphertext">The key encrypted in ECB under the TMK.</param>
/// <param name="CheckValue">The first 4 bytes of the clear key's encryption of eight 00 bytes.</param>
public sealed record EncryptedWorkingKey(byte[] Ciphertext, byte[] CheckValue)
{
    /// <summary>Bytes of the check value in field 62.</summary>
    public const int CheckValueLength = 4;
}
