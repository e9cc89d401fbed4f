using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Iso8583.Load;
using Jinka.Iso8583.Messages;

namespace Jinka.Iso8583.Tests.Load;

/// <summary>The load card's ARQCs are the PBOC chain's (NOTES Appendix A.3), computed from the issuer master key.</summary>
public sealed class LoadCardTests
{
    private static readonly byte[] MdkAc = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");

    /// <summary>
    /// NOTES A.3: MDK-AC 0123456789ABCDEFFEDCBA9876543210, PAN 6225880000000001, PSN 00, ATC 0001, input
    /// 000000000100 000000000000 0156 0000000000 0156 240101 00 12345678 7C00 0001 03A00000 → ARQC A6364607F31A5DB3.
    /// </summary>
    [Fact]
    public void First_ARQC_is_the_NOTES_A3_value()
    {
        var card = new LoadCard(SuiteId.International, "6225880000000001", "00", MdkAc) { UnpredictableNumbers = un => Hex.Parse("12345678").CopyTo(un) };

        var request = card.NextRequest(100, 1, new DateTime(2024, 1, 1, 12, 0, 0), "BENCH001", "898310048990001");

        Assert.True(IccDataSets.TryFind(request.IccData.Span, new Tag(0x9F26), out var arqc));
        Assert.Equal("A6364607F31A5DB3", Hex.Encode(arqc));
        Assert.True(IccDataSets.TryFind(request.IccData.Span, new Tag(0x9F36), out var atc));
        Assert.Equal("0001", Hex.Encode(atc));
        Assert.Equal(2, card.NextAtc);
    }

    [Fact]
    public void ATCs_never_repeat_across_threads_and_stop_at_FFFF()
    {
        var card = new LoadCard(SuiteId.Sm, "6225880000000001", "01", MdkAc, nextAtc: 65_000);
        var atcs = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 536, i =>
        {
            var request = card.NextRequest(1, i + 1, DateTime.Now, "BENCH001", "898310048990001");
            IccDataSets.TryFind(request.IccData.Span, new Tag(0x9F36), out var atc);
            atcs.Add(Hex.Encode(atc));
        });

        Assert.Equal(536, atcs.Distinct().Count());
        Assert.True(card.IsExhausted);
        Assert.Throws<InvalidOperationException>(() => card.NextRequest(1, 1, DateTime.Now, "BENCH001", "898310048990001"));
    }

    [Fact]
    public void A_template_without_the_ARQC_inputs_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LoadCard(SuiteId.International, "6225880000000001", "00", MdkAc, template: Hex.Parse("9F2608" + "0000000000000000")));
    }
}
