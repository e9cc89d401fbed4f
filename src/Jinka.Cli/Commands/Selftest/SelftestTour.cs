using System.Text;
using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Crypto.GlobalPlatform;
using Jinka.Crypto.Hashing;
using Jinka.Crypto.Purse;

namespace Jinka.Cli.Commands.Selftest;

/// <summary>One step of the tour: a live computation and, where public material gives one, the value it must equal.</summary>
internal sealed record SelftestStep(string Name, string Source, Func<string> Compute, string? Published);

/// <summary>The tour's steps. Inputs and published values are those of ../shared/spec (NOTES Appendix A, ADDENDUM §6).</summary>
internal static class SelftestTour
{
    private const string Mdk = "0123456789ABCDEFFEDCBA9876543210";
    private const string AcInput = "000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "240101" + "00" + "12345678" + "7C00" + "0001" + "03A00000";

    // ADDENDUM 1.3: the UnionPay SM CA key, RID A000000333, index 18; V1 and V2 are a real SM card's certificates.
    private const string Ca18 = "37710FEB7CC3617767874E85509C268E8F931D68773E93A89F39A4247DFE2D28" + "0FC5BC838353885B6DAD447C8F90116BD9D314047591989F67F319544D42A48B";
    private const string V1IssuerCertificate =
        "1262354897123000125804001140C9DAD9AC482C02D489E24EEDFCE7C2F0EA4450D208E8E3847FDDCE6B9D55EDC8C97154E019C9E5C1419629587C9C923529D5A18D1715E6EF9DAEB057987FEDFAE1F1F48346B2E90A4443CB7DD42748236C2264FCE4A47B68EF505F2E2FCE4736BA8EC9B67611DB07E31FA90E245300BA278EBDD345508FACE2485E242CE09363";
    private const string V2IccCertificate =
        "14623548973000021812FF0625007EB004001140342A63B591135AEFC30A2A308A0F8185FB6E35A85F75A26487501B0CAFE391113BEDDA0888B126FC7F64E2E070F9CC06D456BF7C984EE7D1194F9DE23D9ADCA3C4D73FA5EA6B7040AACE51D5AE016DA2DD74F7147BFD31925EFE8C09E5308C26BD54FFE78B8CEEBF140E7506B9418B209C4D244F799CC8B6E3E0FA2F3212DC22";
    private const string V2StaticDataAndAip =
        "5F24032506015F25031706015A096235489730000218129F0702FF008E0C000000000000000002031F009F0D05D8609CA8009F0E0500100000009F0F05D8689CF8005F280201569F080200308C1B9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E148D1A8A029F02069F03069F1A0295055F2A029A039C019F37049F2103"
        + "7C00";

    public static IEnumerable<SelftestStep> Steps()
    {
        var intl = AlgorithmSuite.International;
        var sm = AlgorithmSuite.Sm;

        yield return new("TLV: AIP in a GPO response", "EMV Book 3",
            () => Hex.Encode(TlvNode.Parse(Hex.Parse("770E82027C0094080801010010010301"))[0].Find(new Tag(0x82))!.Value.Span), "7C00");
        yield return new("SM3(\"abc\")", "GM/T 0004 example 1", () => Hex.Encode(Sm3.Hash("abc"u8)),
            "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0");
        yield return new("SM4 encrypt", "GM/T 0002 example 1", () =>
        {
            using var cipher = sm.CreateCipher(Hex.Parse(Mdk));
            return Hex.Encode(cipher.EncryptEcb(Hex.Parse(Mdk)));
        }, "681EDF34D206965E86B3E94F536E4246");

        yield return new("UDK, option A", "NOTES A.3", () => Hex.Encode(intl.DeriveUdk(Hex.Parse(Mdk), "6225880000000001")),
            "A4855751C29237E91F01E9679DC85E61");
        yield return new("PBOC session key (ATC 0001)", "NOTES A.3",
            () => Hex.Encode(intl.DeriveSessionKey(Hex.Parse("A4855751C29237E91F01E9679DC85E61"), [0x00, 0x01])), "2668980DD6F75161A873CE86BF1F7FCB");
        yield return new("ARQC (CVN 01, retail MAC)", "NOTES A.3",
            () => Hex.Encode(intl.GenerateAc(Hex.Parse("2668980DD6F75161A873CE86BF1F7FCB"), Hex.Parse(AcInput))), "A6364607F31A5DB3");
        yield return new("ARPC method 1 (ARC \"00\")", "NOTES A.3",
            () => Hex.Encode(intl.Arpc1(Hex.Parse("2668980DD6F75161A873CE86BF1F7FCB"), Hex.Parse("A6364607F31A5DB3"), "00"u8)), "BB4244A6AA844C52");
        yield return new("Real-card ARQC", "ADDENDUM V4", () =>
        {
            byte[] udk = intl.DeriveUdk(Hex.Parse("C4D689158AD9FB9D23105B91CE046D0E"), "6210220110002707355", 0x01);
            byte[] sk = intl.DeriveSessionKey(udk, [0x03, 0xD3]);
            return Hex.Encode(intl.GenerateAc(sk, Hex.Parse("00000000000000000000000001560000000000015600000000000004447C0003D30380A800")));
        }, "81A9DC9310F88856");

        yield return new("SM4 UDK", "NOTES A.4", () => Hex.Encode(sm.DeriveUdk(Hex.Parse(Mdk), "6225880000000001")),
            "221260DE64685BD7DDC3D499F9DE4BAE");
        yield return new("SM4 session key (ATC 0001)", "NOTES A.4",
            () => Hex.Encode(sm.DeriveSessionKey(Hex.Parse("221260DE64685BD7DDC3D499F9DE4BAE"), [0x00, 0x01])), "0834652205547933E8F81121B2C5AC80");
        yield return new("SM4 ARQC (CBC-MAC, pad to 16)", "ADDENDUM 1.4",
            () => Hex.Encode(sm.GenerateAc(Hex.Parse("0834652205547933E8F81121B2C5AC80"), Hex.Parse(AcInput))), null);

        yield return new("SM2 issuer certificate (tag 90) under UnionPay CA 18", "ADDENDUM V1",
            () => Sm2IssuerCertificate.Parse(Hex.Parse(V1IssuerCertificate)).Verify(new Sm2PublicKey(Hex.Parse(Ca18))) ? "verifies" : "fails", "verifies");
        yield return new("SM2 ICC certificate (9F46) over static data ‖ AIP", "ADDENDUM V2", () =>
        {
            var issuer = Sm2IssuerCertificate.Parse(Hex.Parse(V1IssuerCertificate));
            return Sm2IccCertificate.Parse(Hex.Parse(V2IccCertificate)).Verify(issuer.PublicKey, Hex.Parse(V2StaticDataAndAip)) ? "verifies" : "fails";
        }, "verifies");
        yield return new("SM2 sign here, verify here (fresh key)", "GM/T 0003", () =>
        {
            using var key = Sm2.GenerateKeyPair();
            byte[] message = Encoding.ASCII.GetBytes("Jinka");
            return Sm2.Verify(key.PublicKey, message, Sm2.Sign(key, message)) ? "verifies" : "fails";
        }, "verifies");

        yield return new("Transit purse SESPK", "NOTES Appendix A.1", () =>
        {
            byte[] sespk = new byte[8];
            PurseCrypto.PurchaseSessionKey(Hex.Parse("11223344556677888877665544332211"), Hex.Parse("11223344"), Hex.Parse("0000"), Hex.Parse("00000001"), sespk);
            return Hex.Encode(sespk);
        }, "003238ABC57659DD");
        yield return new("GlobalPlatform SCP02 card cryptogram", "ADDENDUM V8", () =>
        {
            byte[] sEnc = Scp02.DeriveSessionKey(new byte[16], Scp02SessionKeyType.SEnc, [0x00, 0x00]);
            byte[] cryptogram = new byte[8];
            Scp02.CardCryptogram(sEnc, Hex.Parse("2923BE84E16CD6AE"), [0x00, 0x00], Hex.Parse("3B2E0D1DBDB6"), cryptogram);
            return Hex.Encode(cryptogram);
        }, "6C37957E5C362547");
    }
}
