using System.Diagnostics.CodeAnalysis;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// Why an RSA certificate or signed data object failed its checks (EMV Book 2 §5.3, §5.4, §6.3, §6.5.2, §6.6.2),
/// in the order the checks run.
/// </summary>
public enum EmvRsaFailure
{
    /// <summary>All checks passed.</summary>
    None = 0,

    /// <summary>The object's length differs from the modulus of the key that should open it (step 1).</summary>
    LengthMismatch,

    /// <summary>The value is not below the modulus, so nothing can be recovered.</summary>
    NotRecoverable,

    /// <summary>The recovered data does not start with 6A.</summary>
    BadHeader,

    /// <summary>The recovered data does not end with BC.</summary>
    BadTrailer,

    /// <summary>The certificate or signed data format byte is not the expected one (02, 03, 04, 05).</summary>
    WrongFormat,

    /// <summary>The hash algorithm indicator is not 01 (SHA-1).</summary>
    UnsupportedHashAlgorithm,

    /// <summary>The certified key is longer than its field in the certificate and no (or a wrong-length) remainder was given.</summary>
    RemainderMissing,

    /// <summary>The exponent length inside the certificate differs from the exponent given (9F32 / 9F47 / 9F2E).</summary>
    ExponentMismatch,

    /// <summary>The hash recomputed over the recovered data and the extra data differs from the one recovered.</summary>
    HashMismatch,

    /// <summary>The issuer identifier is not the leftmost 3–8 digits of the PAN (Book 2 §5.3 step 8).</summary>
    IssuerIdentifierMismatch,

    /// <summary>The PAN in the ICC certificate differs from the application PAN 5A (Book 2 §6.4 step 8).</summary>
    PanMismatch,

    /// <summary>The certificate expired before the date checked, or its MMYY is not a date.</summary>
    Expired,

    /// <summary>The public key algorithm indicator is not 01 (RSA).</summary>
    UnsupportedPublicKeyAlgorithm,

    /// <summary>The certified key is not a usable RSA key (e.g. an even modulus).</summary>
    InvalidPublicKey,

    /// <summary>The ICC dynamic data length does not fit the block, or the CDA ICC dynamic data is malformed.</summary>
    BadDynamicData,

    /// <summary>CDA: the CID inside the signature differs from the CID in the GENERATE AC response (Book 2 §6.6.2 step 7).</summary>
    CryptogramInformationMismatch,

    /// <summary>CDA: the transaction data hash code inside the signature differs from the terminal's (Book 2 §6.6.2 step 9).</summary>
    TransactionDataHashMismatch,
}

/// <summary>
/// The result of recovering and checking an RSA certificate or signed data object: the recovered object, or the
/// failed check and a reason in words. A bad certificate is an expected outcome (failed ODA), never an exception.
/// </summary>
public readonly record struct EmvRsaRecovery<T>
    where T : class
{
    private EmvRsaRecovery(T? value, EmvRsaFailure failure, string? reason)
    {
        Value = value;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>The recovered object when every check passed.</summary>
    public T? Value { get; }

    /// <summary>The first check that failed, or <see cref="EmvRsaFailure.None"/>.</summary>
    public EmvRsaFailure Failure { get; }

    /// <summary>What failed, in words; null when valid.</summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsValid => Failure == EmvRsaFailure.None;

    internal static EmvRsaRecovery<T> Valid(T value) => new(value, EmvRsaFailure.None, null);

    internal static EmvRsaRecovery<T> Fail(EmvRsaFailure failure, string reason) => new(null, failure, reason);

    public override string ToString() => IsValid ? "valid" : $"{Failure}: {Reason}";
}

/// <summary>What an issuer or card writes for a certified RSA key: the certificate and the key remainder (possibly empty) and exponent.</summary>
/// <param name="Certificate">Tag 90, 9F46 or 9F2D.</param>
/// <param name="Remainder">Tag 92, 9F48 or 9F2F; empty when the key fits the certificate (then the tag is omitted).</param>
/// <param name="Exponent">Tag 9F32, 9F47 or 9F2E.</param>
public sealed record EmvRsaCertificateData(byte[] Certificate, byte[] Remainder, byte[] Exponent);
