using Jinka.PcSc;

namespace Jinka.Testing;

/// <summary>
/// Whether pcscd runs with the vpcd reader a test assembly uses (each assembly takes its own vpcd slot so they can run
/// at once). Tests skip with <see cref="SkipReason"/> unless JINKA_REQUIRE_SERVICES=1, when they must run.
/// </summary>
public sealed class PcScdProbe(string reader)
{
    private readonly Lazy<string?> _missing = new(() =>
    {
        if (!PcScContext.TryEstablish(out var context, out var error))
        {
            return $"pcscd is not available: {error}";
        }

        using (context)
        {
            var readers = context.ListReaders();
            return readers.Contains(reader)
                ? null
                : $"pcscd runs but has no reader '{reader}' (readers: {(readers.Count == 0 ? "none" : string.Join(", ", readers))}); is vsmartcard-vpcd installed?";
        }
    });

    public static bool ServicesRequired => Environment.GetEnvironmentVariable("JINKA_REQUIRE_SERVICES") == "1";

    public string Reader => reader;

    /// <summary>Null when pcscd and the reader are here, else what is missing.</summary>
    public string? Missing => _missing.Value;

    /// <summary>Why a test must skip, or null (always null under JINKA_REQUIRE_SERVICES=1).</summary>
    public string? SkipReason => Missing is null || ServicesRequired
        ? null
        : $"{Missing} (start it with .ci/pcscd.sh as root; set JINKA_REQUIRE_SERVICES=1 to make this a failure)";
}
