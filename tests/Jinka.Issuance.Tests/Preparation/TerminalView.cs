using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core.Tlv;

namespace Jinka.Issuance.Tests.Preparation;

/// <summary>
/// What a terminal sees of a personalised application, rebuilt from its DGIs the way a kernel reads the card and
/// written independently of <c>RecordLayout</c>: the AIP and AFL from the GPO response (9104), the records the
/// AFL names, every data object in them, and the static data to be authenticated (NOTES A.2: SFI 1–10 contribute
/// the value of 70, SFI 11–30 the whole record; then the AIP when 9F4A is 82).
/// </summary>
internal sealed class TerminalView
{
    public TerminalView(IEnumerable<DgiElement> dgis)
    {
        var all = dgis.ToDictionary(d => d.Dgi, d => d.Value.ToArray());
        var gpo = TlvNode.Parse(all[0x9104]);
        Aip = gpo.Single(n => n.Tag == new Tag(0x82)).Value.ToArray();
        Afl = gpo.Single(n => n.Tag == new Tag(0x94)).Value.ToArray();
        var signed = new List<byte>();
        for (int i = 0; i < Afl.Length; i += 4)
        {
            int sfi = Afl[i] >> 3;
            for (int record = Afl[i + 1]; record <= Afl[i + 2]; record++)
            {
                var template = all[(ushort)((sfi << 8) | record)];
                var node = TlvNode.Parse(template).Single();
                Assert.Equal(new Tag(0x70), node.Tag);
                foreach (var child in node.Children)
                {
                    Assert.True(Objects.TryAdd(child.Tag.Value, child.Value.ToArray()), $"tag {child.Tag} appears twice in the records");
                }

                if (record < Afl[i + 1] + Afl[i + 3])
                {
                    signed.AddRange(sfi <= 10 ? node.Value.ToArray() : template);
                }
            }
        }

        if (Objects.TryGetValue(0x9F4A, out var tagList) && tagList.SequenceEqual(new byte[] { 0x82 }))
        {
            signed.AddRange(Aip);
        }

        StaticData = [.. signed];
    }

    public byte[] Aip { get; }

    public byte[] Afl { get; }

    /// <summary>Every data object of the records the AFL names, by tag.</summary>
    public Dictionary<uint, byte[]> Objects { get; } = [];

    public byte[] StaticData { get; }

    public byte[] this[uint tag] => Objects[tag];

    public byte[] Get(uint tag) => Objects.TryGetValue(tag, out var value) ? value : [];
}
