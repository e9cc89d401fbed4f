using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Keys;

/// <summary>Terminal master keys, working keys (PIK, MAK), the CUP POS MAC and PIN block translation.</summary>
public sealed partial class SoftwareKeyStore : ITerminalKeyStore
{
    /// <inheritdoc/>
    public EncryptedWorkingKey GenerateWorkingKey(string masterKeyLabel, string label, KeyUsage usage, int length = 16)
    {
        var algorithm = WorkingKeyAlgorithm(usage, length);
        Span<byte> key = stackalloc byte[16];
        key = key[..length];
        RandomNumberGenerator.Fill(key);
        DesKeyParity.AdjustOdd(key);
        try
        {
            byte[] ciphertext = new byte[length];
            _lock.EnterWriteLock();
            try
            {
                var master = Lookup(masterKeyLabel, KeyUsage.TerminalMaster);
                using (var wrap = BlockCipher.Create(master.Info.Algorithm, master.Material))
                {
                    wrap.EncryptEcb(key, ciphertext);
                }

                ReplaceWorkingKey(label, usage, algorithm, key);
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            return new EncryptedWorkingKey(ciphertext, Symmetric.KeyCheckValue.Compute(algorithm, key, EncryptedWorkingKey.CheckValueLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc/>
    public KeyInfo ImportWorkingKey(string masterKeyLabel, string label, KeyUsage usage, ReadOnlySpan<byte> encryptedKey, ReadOnlySpan<byte> checkValue)
    {
        var algorithm = WorkingKeyAlgorithm(usage, encryptedKey.Length);
        if (checkValue.Length is < 3 or > 8)
        {
            throw new ArgumentException($"A check value is 3 to 8 bytes; got {checkValue.Length}.", nameof(checkValue));
        }

        Span<byte> key = stackalloc byte[16];
        key = key[..encryptedKey.Length];
        Span<byte> actual = stackalloc byte[8];
        _lock.EnterWriteLock();
        try
        {
            var master = Lookup(masterKeyLabel, KeyUsage.TerminalMaster);
            using (var unwrap = BlockCipher.Create(master.Info.Algorithm, master.Material))
            {
                unwrap.DecryptEcb(encryptedKey, key);
            }

            Symmetric.KeyCheckValue.Compute(algorithm, key, actual[..checkValue.Length]);
            if (!CryptographicOperations.FixedTimeEquals(actual[..checkValue.Length], checkValue))
            {
                throw new KeyStoreException($"The {usage} key for '{label}' decrypts under '{masterKeyLabel}' to check value {Hex.Encode(actual[..checkValue.Length])}, not {Hex.Encode(checkValue)}: wrong master key or corrupted; not imported.");
            }

            return ReplaceWorkingKey(label, usage, algorithm, key);
        }
        finally
        {
            _lock.ExitWriteLock();
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc/>
    public void GenerateCupPosMac(string makLabel, ReadOnlySpan<byte> macBlock, Span<byte> mac)
    {
        _lock.EnterReadLock();
        try
        {
            var entry = Lookup(makLabel, KeyUsage.MessageAuthentication);
            using var cipher = BlockCipher.Create(entry.Info.Algorithm, entry.Material);
            CupPosMac.Compute(cipher, macBlock, mac);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public bool VerifyCupPosMac(string makLabel, ReadOnlySpan<byte> macBlock, ReadOnlySpan<byte> mac)
    {
        _lock.EnterReadLock();
        try
        {
            var entry = Lookup(makLabel, KeyUsage.MessageAuthentication);
            using var cipher = BlockCipher.Create(entry.Info.Algorithm, entry.Material);
            return CupPosMac.Verify(cipher, macBlock, mac);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public void EncryptPinBlock(string pikLabel, ReadOnlySpan<byte> clearPinBlock, Span<byte> encryptedPinBlock)
    {
        RequirePinBlock(clearPinBlock, encryptedPinBlock);
        _lock.EnterReadLock();
        try
        {
            using var cipher = PinCipher(pikLabel);
            cipher.EncryptEcb(clearPinBlock, encryptedPinBlock);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public void DecryptPinBlock(string pikLabel, ReadOnlySpan<byte> encryptedPinBlock, Span<byte> clearPinBlock)
    {
        RequirePinBlock(encryptedPinBlock, clearPinBlock);
        _lock.EnterReadLock();
        try
        {
            using var cipher = PinCipher(pikLabel);
            cipher.DecryptEcb(encryptedPinBlock, clearPinBlock);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static void RequirePinBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length != IsoPinBlock.Length || output.Length != IsoPinBlock.Length)
        {
            throw new ArgumentException($"A PIN block is {IsoPinBlock.Length} bytes; got {input.Length} in and {output.Length} out.", nameof(input));
        }
    }

    private static CipherAlgorithm WorkingKeyAlgorithm(KeyUsage usage, int length)
    {
        if (usage is not (KeyUsage.PinEncryption or KeyUsage.MessageAuthentication))
        {
            throw new ArgumentException($"{usage} is not a working key usage (PinEncryption or MessageAuthentication).", nameof(usage));
        }

        return length switch
        {
            8 when usage == KeyUsage.MessageAuthentication => CipherAlgorithm.Des,
            16 => CipherAlgorithm.TripleDes,
            _ => throw new ArgumentException($"A {usage} working key is {(usage == KeyUsage.MessageAuthentication ? "8 or 16" : "16")} bytes; got {length}.", nameof(length)),
        };
    }

    /// <summary>Call with the write lock held.</summary>
    private KeyInfo ReplaceWorkingKey(string label, KeyUsage usage, CipherAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        ValidateLabel(label);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_keys.TryGetValue(label, out var existing))
        {
            if (existing.Info.Usage != usage)
            {
                throw new KeyStoreException($"Key '{label}' has usage {existing.Info.Usage}; a {usage} working key cannot replace it.");
            }

            CryptographicOperations.ZeroMemory(existing.Material);
            _keys.Remove(label);
        }

        byte[] material = GC.AllocateArray<byte>(key.Length, pinned: true);
        key.CopyTo(material);
        var info = new KeyInfo(label, usage, algorithm, key.Length, Hex.Encode(Symmetric.KeyCheckValue.Compute(algorithm, key)));
        _keys.Add(label, new Entry(info, material));
        return info;
    }
}
