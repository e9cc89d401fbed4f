namespace Jinka.Issuance.Profiles;

/// <summary>One problem in a card profile: the JSON path of the field ("pan", "keys.issuer.bits", "applications[0].aid") and what is wrong.</summary>
public sealed record ProfileError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>A card profile that cannot be used; <see cref="Errors"/> names every bad field.</summary>
public sealed class CardProfileException : Exception
{
    public CardProfileException()
        : this("invalid card profile")
    {
    }

    public CardProfileException(string message)
        : base(message)
    {
        Errors = [];
    }

    public CardProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public CardProfileException(string source, IReadOnlyList<ProfileError> errors)
        : base($"card profile {source} is not valid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ProfileError> Errors { get; }
}
