using System.Runtime.CompilerServices;
using System.Text;
using Jinka.PcSc.Native;

namespace Jinka.PcSc.Tests.Native;

/// <summary>The native layout and the multi-string format of libpcsclite.</summary>
public sealed class PcScLiteApiTests
{
    [LinuxX64Fact]
    public void Structures_have_pcsclite_layout_on_64_bit_linux()
    {
        // DWORD = unsigned long = 8 bytes: SCARD_IO_REQUEST is 2 × 8; SCARD_READERSTATE is 2 pointers, 3 DWORDs and
        // rgbAtr[33], padded to 8: 80 bytes.
        Assert.Equal(16, Unsafe.SizeOf<PcScLiteApi.IoRequest>());
        Assert.Equal(80, Unsafe.SizeOf<PcScLiteApi.ReaderStateNative>());
        Assert.Equal(8, System.Runtime.InteropServices.Marshal.SizeOf<System.Runtime.InteropServices.CULong>());
    }

    [Theory]
    [InlineData("two readers", "A\0B b\0\0", new[] { "A", "B b" })]
    [InlineData("one reader", "Virtual PCD 00 00\0\0", new[] { "Virtual PCD 00 00" })]
    [InlineData("empty list", "\0", new string[0])]
    [InlineData("nothing", "", new string[0])]
    [InlineData("missing final terminator", "A\0B", new[] { "A", "B" })]
    [InlineData("stops at the empty name", "A\0\0B\0\0", new[] { "A" })]
    public void Multi_strings_parse(string description, string multiString, string[] names)
    {
        var parsed = PcScLiteApi.ParseMultiString(Encoding.UTF8.GetBytes(multiString));
        Assert.True(names.SequenceEqual(parsed), $"{description}: {string.Join("|", parsed)}");
    }
}

/// <summary>A fact about Linux x64 (pcsclite's 64-bit DWORD): skipped elsewhere.</summary>
internal sealed class LinuxX64FactAttribute : FactAttribute
{
    public LinuxX64FactAttribute() => Skip = OperatingSystem.IsLinux() && IntPtr.Size == 8 ? null : "checks the Linux x64 layout";
}
