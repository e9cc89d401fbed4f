namespace Jinka.Cli.Tests;

public class SelftestCommandTests
{
    [Fact]
    public void Selftest_reproduces_every_published_value()
    {
        var result = Cli.Run("selftest");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Every published value was reproduced", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("✗", result.Out, StringComparison.Ordinal);
        Assert.Contains("A6364607F31A5DB3", result.Out, StringComparison.Ordinal);
    }
}
