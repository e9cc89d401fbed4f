using Jinka.PcSc.Vpcd;
using Jinka.Testing;

namespace Jinka.PcSc.Tests.Support;

/// <summary>
/// Whether a real PC/SC stack is here: pcscd running with the vsmartcard vpcd driver (its reader "Virtual PCD 00 00").
/// Tests that need it are <see cref="PcScdFactAttribute"/>s: they skip with the reason when it is absent, unless
/// <c>JINKA_REQUIRE_SERVICES=1</c> (CI, after .ci/pcscd.sh), where they run and fail loudly instead.
/// </summary>
internal static class PcScd
{
    /// <summary>The vpcd slot these tests use; the CLI tests use the second one (35964), so both test assemblies can run at once.</summary>
    public static VpcdEndPoint EndPoint { get; } = VpcdEndPoint.Default;

    public static string Reader => s_probe.Reader;

    private static readonly PcScdProbe s_probe = new(EndPoint.LikelyReaderName!);

    public static bool ServicesRequired => PcScdProbe.ServicesRequired;

    /// <summary>Null when pcscd and vpcd are here, else what is missing.</summary>
    public static string? Missing => s_probe.Missing;

    internal static string? SkipReason => s_probe.SkipReason;

    /// <summary>Why a test that also needs <paramref name="tool"/> (see <see cref="Tools"/>) cannot run, or null.</summary>
    internal static string? SkipReasonWith(string tool) => SkipReason
        ?? (Tools.Missing(tool) is { } missing && !ServicesRequired
            ? $"{missing} (.ci/pcscd.sh installs it; set JINKA_REQUIRE_SERVICES=1 to make this a failure)"
            : null);

    /// <summary>Like <see cref="Require()"/>, for a test that also needs <paramref name="tool"/>.</summary>
    public static void Require(string tool)
    {
        Require();
        if (Tools.Missing(tool) is { } missing)
        {
            Assert.Fail($"JINKA_REQUIRE_SERVICES=1 but {missing}");
        }
    }

    /// <summary>Fails the test with the reason when the stack is missing (under JINKA_REQUIRE_SERVICES=1 the test runs regardless).</summary>
    public static void Require()
    {
        if (Missing is { } missing)
        {
            Assert.Fail($"JINKA_REQUIRE_SERVICES=1 but {missing}");
        }
    }
}

/// <summary>A fact that needs pcscd with vpcd (and, when <see cref="Tool"/> is set, that client tool too).</summary>
internal sealed class PcScdFactAttribute : FactAttribute
{
    private readonly string? _tool;

    public PcScdFactAttribute() => Skip = PcScd.SkipReason;

    public string? Tool
    {
        get => _tool;
        init
        {
            _tool = value;
            Skip = value is null ? PcScd.SkipReason : PcScd.SkipReasonWith(value);
        }
    }
}

/// <summary>A theory that needs pcscd with vpcd (and, when <see cref="Tool"/> is set, that client tool too).</summary>
internal sealed class PcScdTheoryAttribute : TheoryAttribute
{
    private readonly string? _tool;

    public PcScdTheoryAttribute() => Skip = PcScd.SkipReason;

    public string? Tool
    {
        get => _tool;
        init
        {
            _tool = value;
            Skip = value is null ? PcScd.SkipReason : PcScd.SkipReasonWith(value);
        }
    }
}

/// <summary>The tests that share the one vpcd slot: run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PcScdCollection
{
    public const string Name = "pcscd";
}
