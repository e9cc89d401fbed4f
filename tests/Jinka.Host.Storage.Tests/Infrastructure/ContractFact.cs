using Xunit.Abstractions;
using Xunit.Sdk;

namespace Jinka.Host.Storage.Tests.Infrastructure;

/// <summary>Marks a test class whose tests need the PostgreSQL server named by JINKA_POSTGRES.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute
{
}

/// <summary>
/// A fact of a contract suite (a base class run against several stores). Unlike a plain fact, its skip reason is
/// decided per concrete class: tests of a <see cref="RequiresPostgresAttribute"/> class skip, saying why, when
/// JINKA_POSTGRES is not set, unless JINKA_REQUIRE_SERVICES=1, where they run and fail.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Jinka.Host.Storage.Tests.Infrastructure.ContractFactDiscoverer", "Jinka.Host.Storage.Tests")]
public sealed class ContractFactAttribute : FactAttribute
{
}

public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new ContractTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

public sealed class ContractTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ContractTestCase()
    {
    }

    public ContractTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        TestMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any() && Services.PostgresSkipReason is { } reason
            ? reason
            : base.GetSkipReason(factAttribute);
}

/// <summary>The services the tests may use, from the environment.</summary>
public static class Services
{
    public static bool Required => Environment.GetEnvironmentVariable("JINKA_REQUIRE_SERVICES") == "1";

    /// <summary>The connection string in JINKA_POSTGRES, or null.</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("JINKA_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>Why PostgreSQL tests skip, or null when they run.</summary>
    public static string? PostgresSkipReason => PostgresConnectionString is null && !Required
        ? "PostgreSQL tests skipped: set JINKA_POSTGRES to a connection string (eval \"$(.ci/postgres.sh)\" starts a server and prints it); JINKA_REQUIRE_SERVICES=1 makes them fail instead."
        : null;

    public static string RequirePostgres() => PostgresConnectionString
        ?? throw new InvalidOperationException("JINKA_REQUIRE_SERVICES=1 but JINKA_POSTGRES is not set: the PostgreSQL tests must run. eval \"$(.ci/postgres.sh)\" first.");
}
