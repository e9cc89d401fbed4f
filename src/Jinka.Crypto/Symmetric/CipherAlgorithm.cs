namespace Jinka.Crypto.Symmetric;

/// <summary>The block ciphers Jinka uses.</summary>
public enum CipherAlgorithm
{
    /// <summary>Single DES: 8-byte key, 8-byte block (FIPS 46-3). Only inside retail MACs and legacy purse keys.</summary>
    Des,

    /// <summary>TDEA/3DES EDE: 16-byte (two-key) or 24-byte (three-key) key, 8-byte block (NIST SP 800-67).</summary>
    TripleDes,

    /// <summary>AES: 16, 24 or 32-byte key, 16-byte block (FIPS 197).</summary>
    Aes,

    /// <summary>SM4: 16-byte key, 16-byte block (GM/T 0002-2012, GB/T 32907-2016).</summary>
    Sm4,
}
