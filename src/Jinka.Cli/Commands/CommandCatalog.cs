using System.CommandLine;
using Jinka.Cli.Commands.Host;
using Jinka.Cli.Commands.Selftest;
using Jinka.Crypto.Symmetric;

namespace Jinka.Cli.Commands;

/// <summary>Every top-level command of <c>jinka</c>, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        DemoCommand.Create(),
        IssueCommands.Issue(),
        IssueCommands.Ca(),
        TransactCommand.Create(),
        CardCommands.Create(),
        ReadersCommand.Create(),
        EcCommands.Create(),
        HostCommands.Create(),
        SelftestCommand.Create(),
        TlvCommands.Create(),
        ApduCommands.Create(),
        Crypto(),
    ];

    private static Command Crypto() => new("crypto", "Cryptographic calculators: hex in, hex out")
    {
        Sm2Commands.Sm3Command(),
        CipherCommands.Cipher("sm4", CipherAlgorithm.Sm4, "SM4 (GM/T 0002) encrypt or decrypt, ECB or CBC", [16]),
        CipherCommands.Cipher("des3", CipherAlgorithm.TripleDes, "Triple DES (2- or 3-key) encrypt or decrypt, ECB or CBC", [16, 24]),
        Sm2Commands.Sm2Command(),
        CipherCommands.Mac(),
        CipherCommands.Kcv(),
        EmvKeyCommands.Udk(),
        EmvKeyCommands.SessionKey(),
        EmvKeyCommands.Ac(),
        EmvKeyCommands.Arpc(),
    };
}
