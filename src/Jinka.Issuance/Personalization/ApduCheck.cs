using Jinka.Core.Apdu;

namespace Jinka.Issuance.Personalization;

/// <summary>A personalisation step the card refused, or a card that does not behave like a GlobalPlatform card.</summary>
public sealed class PersonalizationException : Exception
{
    public PersonalizationException()
    {
    }

    public PersonalizationException(string message)
        : base(message)
    {
    }

    public PersonalizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PersonalizationException(string step, StatusWord statusWord)
        : base($"{step}: the card answered {statusWord} ({statusWord.Meaning})")
    {
        Step = step;
        StatusWord = statusWord;
    }

    /// <summary>What was being done, e.g. "STORE DATA block 03 for A000000333010101".</summary>
    public string? Step { get; }

    /// <summary>The status word that stopped it, when a card answer did.</summary>
    public StatusWord? StatusWord { get; }
}

/// <summary>Status words as one-line checks (the GlobalPlatformPro habit, STYLE): <c>Check(response, "what failed", allowed…)</c>.</summary>
public static class ApduCheck
{
    /// <summary>Returns <paramref name="response"/> when its status word is allowed (9000 when none are given), else throws.</summary>
    /// <exception cref="PersonalizationException">Any other status word; the message names <paramref name="what"/> and the status word.</exception>
    public static ResponseApdu Check(ResponseApdu response, string what, params ReadOnlySpan<ushort> allowed)
    {
        ArgumentNullException.ThrowIfNull(response);
        ushort sw = response.StatusWord.Value;
        bool ok = allowed.IsEmpty ? sw == 0x9000 : allowed.Contains(sw);
        return ok ? response : throw new PersonalizationException(what, response.StatusWord);
    }
}
