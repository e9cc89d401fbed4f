using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Jinka.Card.Nvm;
using Jinka.Crypto;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Crypto.Hashing;

namespace Jinka.Card.Applications.Pboc;

/// <summary>The three card keys of DGI 8000/8030 (contract D6, D7), in their order there.</summary>
internal enum CardKey
{
    Ac = 0,
    Mac = 1,
    Enc = 2,
}

/// <summary>
/// The ICC private key of either suite, as the commands use it: DDA and CDA signatures (contract P6) and offline PIN
/// decipherment (P7). The one place that knows RSA from SM2 on the card, so the command handlers never ask.
/// </summary>
internal interface IIccKey : IDisposable
{
    /// <summary>The hash of the CDA transaction data hash code: SHA-1 with RSA, SM3 with SM2.</summary>
    HashAlgorithmKind TransactionDataHash { get; }

    /// <summary>Signs ICC dynamic data with terminal dynamic data; returns the value of 9F4B (RSA format 05, SM2 format 15).</summary>
    byte[] SignDynamicData(ReadOnlySpan<byte> iccDynamicData, ReadOnlySpan<byte> terminalDynamicData);

    /// <summary>Deciphers VERIFY P2 88 data into the PIN block and the ICC challenge it carries; false when it is not a valid block.</summary>
    bool TryDecipherPin(ReadOnlySpan<byte> enciphered, [NotNullWhen(true)] out byte[]? pinBlock, [NotNullWhen(true)] out byte[]? challenge);
}

/// <summary>Loads the application's keys from its store.</summary>
internal static class PbocKeys
{
    public const int UdkLength = 16;

    /// <summary>RSA CRT parts in the order of DGI 8201–8207 (contract D8), as cell names under <see cref="PbocCells.RsaPrefix"/>.</summary>
    public static readonly string[] RsaParts = ["qinv", "dq", "dp", "q", "p", "n", "e"];

    /// <summary>The suite chosen at personalisation (8000 → International, 8030 → SM), or null.</summary>
    public static AlgorithmSuite? Suite(PersistentStore store)
        => store.Get(PbocCells.Suite) is [byte id] && AlgorithmSuite.TryFromAlgorithmIdentifier(id, out var suite) ? suite : null;

    /// <summary>The session key of <paramref name="which"/> for <paramref name="atc"/> (PBOC method, choice 5).</summary>
    public static byte[] SessionKey(PersistentStore store, AlgorithmSuite suite, CardKey which, ushort atc)
    {
        var udks = store.Get(PbocCells.Keys) ?? throw new InvalidOperationException("the card keys are not personalised");
        Span<byte> atcBytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(atcBytes, atc);
        try
        {
            return suite.DeriveSessionKey(udks.AsSpan((int)which * UdkLength, UdkLength), atcBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(udks);
        }
    }

    /// <summary>The ICC key of the suite, or null when none was personalised.</summary>
    public static IIccKey? LoadIccKey(PersistentStore store, AlgorithmSuite suite)
    {
        if (suite.Id == SuiteId.Sm)
        {
            var d = store.Get(PbocCells.Sm2Key);
            if (d is null)
            {
                return null;
            }

            try
            {
                return new Sm2IccKey(new Sm2PrivateKey(d));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(d);
            }
        }

        return TryLoadRsa(store, out var key) ? new RsaIccKey(key) : null;
    }

    /// <summary>The RSA key from its cells (modulus, exponent, D and the CRT parts).</summary>
    public static bool TryLoadRsa(PersistentStore store, [NotNullWhen(true)] out EmvRsaPrivateKey? key)
    {
        key = null;
        byte[]? Part(string name) => store.Get(PbocCells.RsaPrefix + name);
        var parameters = new RSAParameters
        {
            Modulus = Part("n"),
            Exponent = Part("e"),
            D = Part("d"),
            P = Part("p"),
            Q = Part("q"),
            DP = Part("dp"),
            DQ = Part("dq"),
            InverseQ = Part("qinv"),
        };
        try
        {
            if (parameters.Modulus is null || parameters.Exponent is null || parameters.D is null || parameters.P is null
                || parameters.Q is null || parameters.DP is null || parameters.DQ is null || parameters.InverseQ is null)
            {
                return false;
            }

            key = new EmvRsaPrivateKey(parameters);
            return true;
        }
        finally
        {
            EmvRsaPrivateKey.Wipe(parameters);
        }
    }

    private sealed class RsaIccKey(EmvRsaPrivateKey key) : IIccKey
    {
        public HashAlgorithmKind TransactionDataHash => HashAlgorithmKind.Sha1;

        public byte[] SignDynamicData(ReadOnlySpan<byte> iccDynamicData, ReadOnlySpan<byte> terminalDynamicData)
            => EmvRsaSignedDynamicData.Create(iccDynamicData, terminalDynamicData, key);

        public bool TryDecipherPin(ReadOnlySpan<byte> enciphered, [NotNullWhen(true)] out byte[]? pinBlock, [NotNullWhen(true)] out byte[]? challenge)
            => EmvRsaPinEncipherment.TryDecipher(key, enciphered, out pinBlock, out challenge, out _);

        public void Dispose() => key.Dispose();
    }

    /// <summary>SM2: signed dynamic data format 15 (ADDENDUM 1.2) and PIN decipherment of C1 ‖ C3 ‖ C2 (contract P7).</summary>
    private sealed class Sm2IccKey(Sm2PrivateKey key) : IIccKey
    {
        private const int PinPlaintextLength = 1 + EmvRsaPinEncipherment.PinBlockLength + EmvRsaPinEncipherment.ChallengeLength;

        public HashAlgorithmKind TransactionDataHash => HashAlgorithmKind.Sm3;

        public byte[] SignDynamicData(ReadOnlySpan<byte> iccDynamicData, ReadOnlySpan<byte> terminalDynamicData)
            => Sm2SignedDynamicData.Create(iccDynamicData, terminalDynamicData, key).Encoded.ToArray();

        public bool TryDecipherPin(ReadOnlySpan<byte> enciphered, [NotNullWhen(true)] out byte[]? pinBlock, [NotNullWhen(true)] out byte[]? challenge)
        {
            pinBlock = null;
            challenge = null;
            if (!Sm2.TryDecrypt(key, enciphered, Sm2CiphertextFormat.C1C3C2, out var plain, out _))
            {
                return false;
            }

            try
            {
                if (plain.Length != PinPlaintextLength || plain[0] != EmvRsaPinEncipherment.Header)
                {
                    return false;
                }

                pinBlock = plain.AsSpan(1, EmvRsaPinEncipherment.PinBlockLength).ToArray();
                challenge = plain.AsSpan(1 + EmvRsaPinEncipherment.PinBlockLength).ToArray();
                return true;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }

        public void Dispose() => key.Dispose();
    }
}
