using Jinka.Core.Apdu;
using Jinka.Crypto.GlobalPlatform;

namespace Jinka.Card.Tests.GlobalPlatform;

/// <summary>The ISD answers a status word to anything, in and out of the secure channel: never 6F00 (an exception inside).</summary>
public class RobustnessTests
{
    private static readonly byte[] s_instructions = [0x50, 0x82, 0xE6, 0xE2, 0xF2, 0xF0, 0xE4, 0xCA, 0xD8];

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    [InlineData(true, 3)]
    public void Random_commands_get_status_words_and_never_an_internal_fault(bool authenticated, int seed)
    {
        var random = new Random(seed);
        var card = GpCards.WithIsd();
        GpHost? host = authenticated ? GpHost.Open(card) : null;
        if (authenticated)
        {
            host!.Send(GpCards.InstallPboc());
            host.Send(GpCards.InstallForPersonalization(GpCards.Pboc));
        }

        var seen = new HashSet<StatusWord>();
        for (int i = 0; i < 400; i++)
        {
            var data = new byte[random.Next(0, 40)];
            random.NextBytes(data);
            if (data.Length > 2 && random.Next(3) == 0)
            {
                data[0] = 0x4F;
                data[1] = (byte)(data.Length - 2);
            }

            byte ins = s_instructions[random.Next(s_instructions.Length)];
            var command = new CommandApdu(0x80, ins, (byte)random.Next(256), (byte)random.Next(4) == 0 ? (byte)random.Next(256) : (byte)0, data, random.Next(2) * 256);
            if (ins == 0x50)
            {
                continue;  // a new INITIALIZE UPDATE would only close the channel under test
            }

            var response = host is not null && host.Session.SecurityLevel.HasFlag(Scp02SecurityLevel.CMac) ? host.Send(command) : card.Process(command);

            Assert.True(response.StatusWord != StatusWord.NoPreciseDiagnosis, $"{command} → 6F00: {card.LastFault}");
            seen.Add(response.StatusWord);
            if (response.StatusWord == StatusWord.SecurityStatusNotSatisfied && host is not null)
            {
                // The channel closed (for instance a C-MAC'd command the ISD had to refuse): open a new one and go on.
                host.Dispose();
                host = GpHost.Open(card);
                host.Send(GpCards.InstallForPersonalization(GpCards.Pboc));
            }
        }

        host?.Dispose();
        Assert.Null(card.LastFault);
        Assert.True(seen.Count >= (authenticated ? 5 : 3), $"only {string.Join(", ", seen)} were answered: the commands did not reach the handlers");
    }
}
