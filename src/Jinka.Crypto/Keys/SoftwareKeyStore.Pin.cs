using System.Security.Cryptography;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Keys;

/// <summary>PIN operations: clear PIN → format 0 block under a PIN key; format 0 block → PIN CHANGE script data.</summary>
public sealed partial class SoftwareKeyStore
{
    /// <inheritdoc/>
    public byte[] EncryptPin(string pinKeyLabel, ReadOnlySpan<char> pin, ReadOnlySpan<char> pan)
    {
        Span<byte> block = stackalloc byte[IsoPinBlock.Length];
        try
        {
            IsoPinBlock.Format0(pin, pan, block);
            _lock.EnterReadLock();
            try
            {
                using var cipher = PinCipher(pinKeyLabel);
                return cipher.EncryptEcb(block);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    /// <inheritdoc/>
    public byte[] TranslatePinForScript(string pinKeyLabel, ReadOnlySpan<byte> encryptedPinBlock, string encLabel, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, EmvKeyScheme scheme)
    {
        if (encryptedPinBlock.Length != IsoPinBlock.Length)
        {
            throw new ArgumentException($"An encrypted format 0 PIN block is {IsoPinBlock.Length} bytes; got {encryptedPinBlock.Length}.", nameof(encryptedPinBlock));
        }

        Span<byte> format0 = stackalloc byte[IsoPinBlock.Length];
        Span<byte> format2 = stackalloc byte[IsoPinBlock.Length];
        Span<byte> sessionKey = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        _lock.EnterReadLock();
        try
        {
            using (var pinCipher = PinCipher(pinKeyLabel))
            {
                pinCipher.DecryptEcb(encryptedPinBlock, format0);
            }

            if (!IsoPinBlock.TryFormat0ToFormat2(format0, pan, format2))
            {
                throw new KeyStoreException($"The PIN block does not decrypt under '{pinKeyLabel}' to an ISO format 0 block for this PAN (wrong key, wrong PAN, or corrupted).");
            }

            var (entry, suite) = Emv(encLabel, KeyUsage.MdkEnc);
            DeriveSessionKey(entry, suite, pan, psn, atc, scheme, sessionKey);
            return suite.EncryptScriptData(sessionKey, format2);
        }
        finally
        {
            _lock.ExitReadLock();
            CryptographicOperations.ZeroMemory(format0);
            CryptographicOperations.ZeroMemory(format2);
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <summary>Call with the read lock held.</summary>
    private BlockCipher PinCipher(string pinKeyLabel)
    {
        var entry = Lookup(pinKeyLabel, KeyUsage.PinEncryption);
        if (entry.Info.Algorithm != CipherAlgorithm.TripleDes)
        {
            throw new KeyStoreException($"PIN key '{pinKeyLabel}' is {entry.Info.Algorithm}; ISO 9564-1 format 0 blocks (8 bytes) need a 3DES PIN key.");
        }

        return BlockCipher.Create(entry.Info.Algorithm, entry.Material);
    }
}
