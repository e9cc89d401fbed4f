using Jinka.Core;
using Jinka.Issuance.Preparation;

namespace Jinka.Issuance.Tests.Preparation;

/// <summary>Record packing, the AFL, and the static data to be authenticated (NOTES A.2 SFI rule).</summary>
public class RecordLayoutTests
{
    [Fact]
    public void Data_objects_are_packed_in_order_and_the_afl_counts_signed_records()
    {
        var layout = new RecordLayout();
        layout.AddFile(1, [Hex.Parse("5A086225880000000019")], signed: true);
        layout.AddFile(3, [new byte[150], new byte[100], Hex.Parse("8F0180")], signed: false);

        Assert.Equal(["0101", "0301", "0302"], layout.Records.Select(r => r.Dgi.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("700A5A086225880000000019", Hex.Encode(layout.Records[0].Template));
        Assert.Equal("08010101" + "18010200", Hex.Encode(layout.EncodeAfl()));
        Assert.All(layout.Records, r => Assert.True(r.Template.Length <= RecordLayout.MaxRecordLength));
        Assert.Equal(2 + 100 + 3, layout.Records[2].Template.Length);
    }

    [Fact]
    public void Static_data_takes_the_value_of_70_for_sfi_1_to_10_and_the_whole_record_above()
    {
        CardRecord[] records =
        [
            new(1, 1, Hex.Parse("70045F240100")),
            new(2, 1, Hex.Parse("70039F0700")),
            new(2, 2, Hex.Parse("70038C0100")),
            new(11, 1, Hex.Parse("7002AABB")),
        ];
        AflEntry[] afl = [new(1, 1, 1, 1), new(2, 1, 2, 1), new(11, 1, 1, 1)];

        var data = RecordLayout.StaticData(records, afl, Hex.Parse("7D00"));

        // SFI 1: 5F2401 00 → value; SFI 2: only the first record is signed; SFI 11: 70 02 AA BB whole; then the AIP.
        Assert.Equal("5F2401" + "00" + "9F0700" + "7002AABB" + "7D00", Hex.Encode(data));
    }

    [Fact]
    public void Static_data_refuses_a_signed_record_that_is_missing_or_not_a_70_template()
    {
        CardRecord[] records = [new(1, 1, Hex.Parse("6103010203"))];

        Assert.Throws<InvalidOperationException>(() => RecordLayout.StaticData(records, [new AflEntry(1, 1, 1, 1)], default));
        Assert.Throws<InvalidOperationException>(() => RecordLayout.StaticData(records, [new AflEntry(2, 1, 1, 1)], default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Files_outside_sfi_1_to_30_are_refused(int sfi)
    {
        Assert.Throws<ArgumentException>(() => new RecordLayout().AddFile(sfi, [Hex.Parse("8F0180")], signed: false));
    }

    [Fact]
    public void A_data_object_too_long_for_one_record_and_a_reused_sfi_are_refused()
    {
        var layout = new RecordLayout();
        Assert.Throws<ArgumentException>(() => layout.AddFile(1, [new byte[RecordLayout.MaxRecordLength - 2]], signed: false));
        layout.AddFile(1, [Hex.Parse("8F0180")], signed: false);
        Assert.Throws<ArgumentException>(() => layout.AddFile(1, [Hex.Parse("8F0180")], signed: false));
    }
}
