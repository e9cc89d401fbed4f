namespace Jinka.Crypto.Keys;

/// <summary>Tuning for <see cref="SoftwareKeyStore"/>.</summary>
public sealed record SoftwareKeyStoreOptions
{
    /// <summary>The default card key cache size: 100,000 cards (16 pinned bytes each, about 1.6 MB when full).</summary>
    public const int DefaultCardKeyCacheCapacity = 100_000;

    /// <summary>
    /// How many derived card keys (UDKs, one per MDK and card) to keep; 0 derives the UDK from the MDK on every call.
    /// A hit saves one MDK keying and encryption per cryptogram operation.
    /// </summary>
    public int CardKeyCacheCapacity { get; init; } = DefaultCardKeyCacheCapacity;
}
