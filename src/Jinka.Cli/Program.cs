namespace Jinka.Cli;

internal static class Program
{
    private static int Main(string[] args) => JinkaCli.Run(args, Console.Out, Console.Error);
}
