using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Keys;

/// <summary>
/// Puts a profile's issuer master keys (MDK-AC, MDK-MAC, MDK-ENC) into a key store under their labels: 3DES keys
/// for the intl suite, SM4 for the sm suite. A label already present is used as it is (its algorithm and usage must
/// fit, and its KCV must match the profile's value when the profile gives one).
/// </summary>
public static class IssuerMasterKeys
{
    /// <exception cref="KeyStoreException">A label is missing without a value, or holds another key.</exception>
    public static void Load(IKeyStoreAdministration store, CardProfile profile)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(profile);
        var algorithm = Algorithm(profile.Suite);
        Load(store, profile.MdkAc, KeyUsage.MdkAc, algorithm);
        Load(store, profile.MdkMac, KeyUsage.MdkMac, algorithm);
        Load(store, profile.MdkEnc, KeyUsage.MdkEnc, algorithm);
    }

    /// <summary>3DES for the International suite, SM4 for SM.</summary>
    public static CipherAlgorithm Algorithm(SuiteId suite) => suite == SuiteId.Sm ? CipherAlgorithm.Sm4 : CipherAlgorithm.TripleDes;

    private static void Load(IKeyStoreAdministration store, MasterKeyReference key, KeyUsage usage, CipherAlgorithm algorithm)
    {
        if (store.TryGetInfo(key.Label, out var info))
        {
            if (info.Usage != usage || info.Algorithm != algorithm)
            {
                throw new KeyStoreException($"key '{key.Label}' is a {info.Algorithm} {info.Usage} key; the profile needs a {algorithm} {usage} key");
            }

            if (key.Value is not null && !string.Equals(Core.Hex.Encode(KeyCheckValue.Compute(algorithm, key.Value)), info.KeyCheckValue, StringComparison.Ordinal))
            {
                throw new KeyStoreException($"key '{key.Label}' in the store (KCV {info.KeyCheckValue}) is not the profile's value");
            }

            return;
        }

        if (key.Value is null)
        {
            throw new KeyStoreException($"key '{key.Label}' is not in the key store and the profile gives no value for it");
        }

        store.ImportClearKey(key.Label, usage, algorithm, key.Value);
    }
}
