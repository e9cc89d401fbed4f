namespace Jinka.Crypto.Hashing;

/// <summary>The hash functions the two algorithm suites use: SHA-1 (EMV RSA), SHA-256 and SM3 (SM suite).</summary>
public enum HashAlgorithmKind
{
    Sha1,
    Sha256,
    Sm3,
}
