namespace Jinka.Card.Nvm;

/// <summary>Rules for NVM cell keys: '/'-separated segments of [A-Za-z0-9._-], so an image stays readable and a
/// scoped view can never reach outside its prefix.</summary>
internal static class NvmKey
{
    public static bool IsValid(string? key, out string? error)
    {
        if (string.IsNullOrEmpty(key))
        {
            error = "an NVM key is empty";
            return false;
        }

        if (key[0] == '/' || key[^1] == '/' || key.Contains("//", StringComparison.Ordinal))
        {
            error = $"NVM key '{key}' has an empty segment";
            return false;
        }

        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                error = $"NVM key '{key}' has '{c}' at offset {i}; keys use A-Z a-z 0-9 . _ - and '/'";
                return false;
            }
        }

        if (key.Split('/').Any(s => s is "." or ".."))
        {
            error = $"NVM key '{key}' has a '.' or '..' segment";
            return false;
        }

        error = null;
        return true;
    }

    /// <exception cref="ArgumentException">The key breaks the rules.</exception>
    public static void Validate(string key)
    {
        if (!IsValid(key, out var error))
        {
            throw new ArgumentException(error, nameof(key));
        }
    }
}
