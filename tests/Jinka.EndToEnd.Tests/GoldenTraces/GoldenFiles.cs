using System.Runtime.CompilerServices;

namespace Jinka.EndToEnd.Tests.GoldenTraces;

/// <summary>
/// The checked-in golden files under tests/Jinka.EndToEnd.Tests/golden, found by walking up from the test binaries
/// (so a path-mapped CI build still finds them); <c>JINKA_UPDATE_GOLDEN=1</c> rewrites them instead of comparing.
/// </summary>
internal static class GoldenFiles
{
    public static bool Updating => Environment.GetEnvironmentVariable("JINKA_UPDATE_GOLDEN") == "1";

    public static string Directory([CallerFilePath] string caller = "")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Jinka.EndToEnd.Tests.csproj")))
            {
                return Path.Combine(dir.FullName, "golden");
            }
        }

        return Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(caller))!, "golden");
    }

    /// <summary>Compares <paramref name="actual"/> with the golden file line by line (or writes it when updating).</summary>
    public static async Task MatchAsync(string name, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        if (!actual.EndsWith('\n'))
        {
            actual += "\n";
        }

        string path = Path.Combine(Directory(), name);
        if (Updating)
        {
            await File.WriteAllTextAsync(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no golden file {name}: run with JINKA_UPDATE_GOLDEN=1 and review it");
        var expected = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n").Split('\n');
        var lines = actual.Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, lines.Length); i++)
        {
            Assert.True(expected[i] == lines[i], $"{name} line {i + 1} differs:\nexpected {expected[i]}\nactual   {lines[i]}");
        }

        Assert.True(expected.Length == lines.Length, $"{name}: {lines.Length} lines, the golden file has {expected.Length}");
    }
}
