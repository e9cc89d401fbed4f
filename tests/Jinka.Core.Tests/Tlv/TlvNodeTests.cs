using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Tlv;

public class TlvNodeTests
{
    [Fact]
    public void Parse_builds_the_tree_of_an_FCI()
    {
        var data = Hex.Parse(SampleData.PseFci);
        var nodes = TlvNode.Parse(data);

        var fci = Assert.Single(nodes);
        Assert.Equal(new Tag(0x6F), fci.Tag);
        Assert.Equal(0, fci.Offset);
        Assert.Collection(
            fci.Children,
            df => Assert.Equal("1PAY.SYS.DDF01", System.Text.Encoding.ASCII.GetString(df.Value.Span)),
            a5 =>
            {
                Assert.Equal(new Tag(0xA5), a5.Tag);
                Assert.Equal(18, a5.Offset);
                Assert.Equal(["88", "5F2D", "BF0C"], a5.Children.Select(c => c.Tag.ToString()));
            });

        var logEntry = fci.Find(new Tag(0xDF4D));
        Assert.NotNull(logEntry);
        Assert.Equal("0C0A", Hex.Encode(logEntry.Value.Span));
        Assert.Equal(38, logEntry.Offset);
        Assert.Empty(logEntry.Children);
        Assert.Null(fci.Find(new Tag(0x9F38)));
    }

    [Fact]
    public void Values_are_slices_of_the_parsed_memory()
    {
        var data = Hex.Parse(SampleData.Record1);
        var record = TlvNode.Parse(data)[0];
        var track2 = record.Children[0];
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(track2.Value, out var segment));
        Assert.Same(data, segment.Array);
        Assert.Equal(4, segment.Offset);
    }

    [Fact]
    public void Parse_reports_a_nested_error_with_its_absolute_offset()
    {
        var data = Hex.Parse("9F3602 0001 70 06 5A 08 1234 0000");
        var ex = Assert.Throws<TlvException>(() => TlvNode.Parse(data));
        Assert.Equal(TlvError.ValuePastEnd, ex.Error);
        Assert.Equal(7, ex.Offset);
        Assert.Equal(new Tag(0x5A), ex.Tag);
        Assert.Contains("4 bytes left", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_reports_TooDeep_on_the_constructed_object()
    {
        var data = Hex.Parse("70 04 A5 02 8801");
        var ex = Assert.Throws<TlvException>(() => TlvNode.Parse(data, new TlvReaderOptions { MaxDepth = 1 }));
        Assert.Equal(TlvError.TooDeep, ex.Error);
        Assert.Equal(2, ex.Offset);
        Assert.Equal(new Tag(0xA5), ex.Tag);
    }

    [Theory]
    [InlineData("70 02 5A 81", TlvError.TruncatedLength, "nested truncated length")]
    [InlineData("5A0112 70 80", TlvError.IndefiniteLength, "indefinite length")]
    [InlineData("00", TlvError.None, "only padding is an empty, valid input")]
    public void TryParse_returns_the_error(string hex, TlvError expected, string description)
    {
        bool ok = TlvNode.TryParse(Hex.Parse(hex), out var nodes, out var error);
        Assert.True(expected == error, description);
        Assert.Equal(expected == TlvError.None, ok);
        Assert.Equal(ok, nodes is not null);
    }
}
