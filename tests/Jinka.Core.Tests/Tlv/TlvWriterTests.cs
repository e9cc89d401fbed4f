using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Tlv;

public class TlvWriterTests
{
    [Theory]
    [InlineData(0, "5A00", "empty value")]
    [InlineData(1, "5A01", "one byte")]
    [InlineData(127, "5A7F", "short form maximum")]
    [InlineData(128, "5A8180", "81 form minimum")]
    [InlineData(255, "5A81FF", "81 form maximum")]
    [InlineData(256, "5A820100", "82 form minimum")]
    [InlineData(65535, "5A82FFFF", "82 form maximum")]
    [InlineData(65536, "5A83010000", "83 form minimum")]
    public void WritePrimitive_uses_the_minimal_length_form_and_round_trips(int length, string expectedHeader, string description)
    {
        var value = Pattern(length);
        using var writer = new TlvWriter(16);
        writer.WritePrimitive(new Tag(0x5A), value);

        var encoded = writer.ToArray();
        Assert.True(expectedHeader == Hex.Encode(encoded.AsSpan(0, expectedHeader.Length / 2)), description);
        Assert.Equal(expectedHeader.Length / 2 + length, encoded.Length);

        var reader = new TlvReader(encoded);
        Assert.True(reader.Read());
        Assert.Equal(new Tag(0x5A), reader.Tag);
        Assert.True(reader.ValueSpan.SequenceEqual(value));
        Assert.False(reader.Read());
    }

    [Theory]
    [InlineData(0, "7000", "empty template")]
    [InlineData(124, "707F", "contents 127 bytes: short form")]
    [InlineData(125, "708180", "contents 128 bytes: length widened to 81")]
    [InlineData(251, "7081FF", "contents 255 bytes")]
    [InlineData(252, "70820100", "contents 256 bytes: length widened to 82")]
    public void A_scope_patches_its_length_in_minimal_form(int innerLength, string expectedHeader, string description)
    {
        // The inner 9F1F has a 3-byte header when its value is < 128 bytes, else 4.
        var value = Pattern(innerLength);
        using var writer = new TlvWriter(8);
        using (writer.PushConstructed(new Tag(0x70)))
        {
            if (innerLength > 0)
            {
                writer.WritePrimitive(new Tag(0x9F1F), value);
            }
        }

        var encoded = writer.ToArray();
        Assert.True(expectedHeader == Hex.Encode(encoded.AsSpan(0, expectedHeader.Length / 2)), description);

        var reader = new TlvReader(encoded);
        Assert.True(reader.Read());
        Assert.Equal(encoded.Length, reader.HeaderLength + reader.ValueSpan.Length);
        if (innerLength > 0)
        {
            var children = reader.ReadChildren();
            Assert.True(children.Read());
            Assert.True(children.ValueSpan.SequenceEqual(value));
        }
    }

    [Fact]
    public void Nested_scopes_crossing_127_and_255_produce_the_exact_encoding()
    {
        var label = Pattern(120);
        var cert = Pattern(144);
        using var writer = new TlvWriter(4);
        using (writer.PushConstructed(new Tag(0x6F)))
        {
            writer.WritePrimitive(new Tag(0x84), Hex.Parse("A000000333010101"));
            using (writer.PushConstructed(new Tag(0xA5)))
            {
                writer.WritePrimitive(new Tag(0x50), label);
                using (writer.PushConstructed(new Tag(0xBF0C)))
                {
                    writer.WritePrimitive(new Tag(0x9F4D), Hex.Parse("0B0A"));
                }

                writer.WritePrimitive(new Tag(0x90), cert);
            }
        }

        // 50 78 <120> = 122 bytes; BF0C 05 9F4D020B0A = 8; 90 81 90 <144> = 147 → A5 contents 277 → A5 82 0115.
        // 84 08 <8> = 10 → 6F contents 10 + 4 + 277 = 291 → 6F 82 0123.
        string expected =
            "6F820123" +
            "8408A000000333010101" +
            "A5820115" +
            "5078" + Hex.Encode(label) +
            "BF0C05" + "9F4D020B0A" +
            "908190" + Hex.Encode(cert);
        Assert.Equal(expected, Hex.Encode(writer.WrittenSpan));

        var tree = TlvNode.Parse(writer.ToArray());
        Assert.Equal(cert, tree[0].Find(new Tag(0x90))!.Value.ToArray());
    }

    [Fact]
    public void WriteConstructed_and_WriteEncoded_append_prepared_bytes()
    {
        using var writer = new TlvWriter();
        writer.WriteConstructed(new Tag(0x77), Hex.Parse("82027C00"));
        writer.WriteEncoded(Hex.Parse("9F360200 01"));
        Assert.Equal("770482027C009F36020001", Hex.Encode(writer.WrittenSpan));
    }

    [Fact]
    public void Reset_clears_the_writer_for_reuse()
    {
        using var writer = new TlvWriter();
        writer.WritePrimitive(new Tag(0x5A), Hex.Parse("6225880000000001"));
        using (writer.PushConstructed(new Tag(0x70)))
        {
            writer.Reset(); // the scope opened before Reset closes as a no-op
        }

        Assert.Equal(0, writer.Length);
        Assert.Equal(0, writer.OpenScopes);
        writer.WritePrimitive(new Tag(0x9F36), Hex.Parse("0001"));
        Assert.Equal("9F36020001", Hex.Encode(writer.WrittenSpan));
    }

    [Fact]
    public void Misuse_is_reported()
    {
        using var writer = new TlvWriter();
        Assert.Throws<ArgumentException>(() => writer.WritePrimitive(new Tag(0x70), []));
        Assert.Throws<ArgumentException>(() => writer.PushConstructed(new Tag(0x5A)));
        Assert.Throws<ArgumentException>(() => writer.WriteConstructed(new Tag(0x5A), []));

        var outer = writer.PushConstructed(new Tag(0x70));
        var inner = writer.PushConstructed(new Tag(0xA5));
        Assert.Throws<InvalidOperationException>(() => writer.WrittenSpan.Length);
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
        Assert.Equal("7002A500", Hex.Encode(writer.WrittenSpan));
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
    }

    [Fact]
    public void A_disposed_writer_refuses_work()
    {
        var writer = new TlvWriter();
        writer.WritePrimitive(new Tag(0x5A), [1, 2, 3]);
        writer.Dispose();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.WritePrimitive(new Tag(0x5A), [1]));
        Assert.Throws<ObjectDisposedException>(() => writer.ToArray());
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 7 + 1);
        }

        return bytes;
    }
}
