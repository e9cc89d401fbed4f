namespace Jinka.Crypto;

/// <summary>The two algorithm suites a Jinka card profile can name.</summary>
public enum SuiteId
{
    /// <summary>3DES, RSA, SHA-1 (EMV / PBOC international algorithms).</summary>
    International,

    /// <summary>SM4, SM2, SM3 (the Chinese national algorithms, JR/T 0025.17).</summary>
    Sm,
}

/// <summary>
/// One place that knows how a suite does its cryptography, so that kernels, cards and the host never branch on
/// "is this SM?". Two singletons exist: <see cref="International"/> and <see cref="Sm"/>.
/// </summary>
/// <remarks>
/// The class is partial by design: this file holds identity and lookup, <c>AlgorithmSuite.Symmetric.cs</c> the
/// symmetric members (ciphers, MACs, EMV/PBOC key derivation and cryptograms). Hashes and signature schemes are
/// meant to be added as further partial files (for example <c>AlgorithmSuite.Asymmetric.cs</c> with abstract members
/// implemented in the matching <c>InternationalSuite</c>/<c>SmSuite</c> partials) without touching these.
/// </remarks>
public abstract partial class AlgorithmSuite
{
    private protected AlgorithmSuite()
    {
    }

    /// <summary>3DES / RSA / SHA-1.</summary>
    public static AlgorithmSuite International { get; } = new InternationalSuite();

    /// <summary>SM4 / SM2 / SM3.</summary>
    public static AlgorithmSuite Sm { get; } = new SmSuite();

    /// <summary>Both suites, International first.</summary>
    public static IReadOnlyList<AlgorithmSuite> All { get; } = [International, Sm];

    /// <summary>Which suite this is.</summary>
    public abstract SuiteId Id { get; }

    /// <summary>A short display name ("International", "SM").</summary>
    public abstract string Name { get; }

    /// <summary>The suite for <paramref name="id"/>.</summary>
    public static AlgorithmSuite Get(SuiteId id) => id switch
    {
        SuiteId.International => International,
        SuiteId.Sm => Sm,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown suite"),
    };

    /// <summary>Finds the suite whose 9F10 algorithm identifier (NOTES A.4) is <paramref name="identifier"/>.</summary>
    public static bool TryFromAlgorithmIdentifier(byte identifier, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AlgorithmSuite? suite)
    {
        foreach (var candidate in All)
        {
            if (candidate.AlgorithmIdentifier == identifier)
            {
                suite = candidate;
                return true;
            }
        }

        suite = null;
        return false;
    }

    /// <summary>The suite for a 9F10 algorithm identifier; throws for an unknown one.</summary>
    public static AlgorithmSuite FromAlgorithmIdentifier(byte identifier) =>
        TryFromAlgorithmIdentifier(identifier, out var suite)
            ? suite
            : throw new ArgumentException($"9F10 algorithm identifier {identifier:X2} is not known (01 = 3DES, 04 = SM4).", nameof(identifier));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
