using System.Text.Json.Nodes;
using Jinka.Card;
using Jinka.Crypto;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Tests.Profiles;

/// <summary>Card profiles: the shipped ones load, and each kind of mistake is reported with the field's path.</summary>
public class CardProfileReaderTests
{
    [Theory]
    [InlineData("pboc-debit-intl", SuiteId.International, CardProduct.Debit, "6225880000000019", "A000000333010101", "7D00")]
    [InlineData("pboc-debit-sm", SuiteId.Sm, CardProduct.Debit, "6225880000000027", "A000000333010101", "7D00")]
    [InlineData("pboc-credit-intl", SuiteId.International, CardProduct.Credit, "6225880000000035", "A000000333010102", "3D00")]
    [InlineData("pboc-ec-intl", SuiteId.International, CardProduct.Debit, "6225880000000050", "A000000333010106", "7D00")]
    [InlineData("pboc-debit-ec-sm", SuiteId.Sm, CardProduct.Debit, "6225880000000043", "A000000333010101", "7D00")]
    public void Each_shipped_profile_loads(string name, SuiteId suite, CardProduct product, string pan, string aid, string aip)
    {
        var profile = TestFiles.LoadProfile(name);

        Assert.Equal(suite, profile.Suite);
        Assert.Equal(product, profile.Product);
        Assert.Equal(pan, profile.Pan);
        Assert.Equal(Aid.Parse(aid), profile.Applications.Single().Aid);
        Assert.Equal(aip, Convert.ToHexString(profile.Aip));
        Assert.Equal(suite == SuiteId.Sm, !profile.IssuerKey.IsRsa);
        Assert.NotNull(profile.MdkAc.Value);
    }

    [Fact]
    public void A_minimal_profile_takes_the_product_and_suite_defaults()
    {
        var profile = CardProfileReader.Parse("""
            {
              "suite": "sm", "product": "credit", "pan": "6225880000000035", "psn": "02",
              "effectiveDate": "2025-01-01", "expiryDate": "2030-01-31", "pin": "1234",
              "masterKeys": { "ac": { "label": "a" }, "mac": { "label": "b" }, "enc": { "label": "c" } }
            }
            """);

        Assert.Equal(Aid.Parse("A000000333010102"), profile.Applications.Single().Aid);
        Assert.Equal(0x81, profile.CaIndex);
        Assert.Equal(KeyProfile.Sm2, profile.IssuerKey);
        Assert.Equal(0x02, profile.Psn);
        Assert.Equal("9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14", Convert.ToHexString(profile.Cdol1));
        Assert.Equal("9F3704", Convert.ToHexString(profile.Ddol));
        Assert.Equal(LogSettings.Default, profile.Log);
        Assert.Null(profile.MdkAc.Value);
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "missing PAN", """{"remove": "pan"}""", "pan" },
        { "bad Luhn check digit", """{"set": "pan", "to": "6225880000000018"}""", "pan" },
        { "PAN with a letter", """{"set": "pan", "to": "62258800000A0019"}""", "pan" },
        { "PAN too short", """{"set": "pan", "to": "6225889"}""", "pan" },
        { "unknown suite", """{"set": "suite", "to": "aes"}""", "suite" },
        { "unknown product", """{"set": "product", "to": "prepaid"}""", "product" },
        { "RSA issuer key too short", """{"set": "keys.issuer.bits", "to": 768}""", "keys.issuer.bits" },
        { "RSA ICC key too long", """{"set": "keys.icc.bits", "to": 2048}""", "keys.icc.bits" },
        { "RSA key not a multiple of 8", """{"set": "keys.icc.bits", "to": 1028}""", "keys.icc.bits" },
        { "RSA issuer key whose ICC certificate would not fit a STORE DATA", """{"set": "keys.issuer.bits", "to": 1984}""", "keys.issuer.bits" },
        { "RSA exponent 5", """{"set": "keys.icc.exponent", "to": 5}""", "keys.icc.exponent" },
        { "SM2 key on an intl card", """{"set": "keys.issuer.algorithm", "to": "sm2"}""", "keys.issuer.algorithm" },
        { "expiry before effective date", """{"set": "expiryDate", "to": "2024-12-31"}""", "expiryDate" },
        { "a date that is not ISO", """{"set": "effectiveDate", "to": "01/01/2025"}""", "effectiveDate" },
        { "PSN of three digits", """{"set": "psn", "to": "001"}""", "psn" },
        { "IAC of 4 bytes", """{"set": "iac.online", "to": "D8689CF8"}""", "iac.online" },
        { "CVM list with an odd rule", """{"set": "cvmList", "to": "000000000000000042031E"}""", "cvmList" },
        { "CDOL that is not a DOL", """{"set": "cdol1", "to": "9F"}""", "cdol1" },
        { "label too long", """{"set": "applications.0.label", "to": "A LABEL LONGER THAN SIXTEEN"}""", "applications[0].label" },
        { "AID of 4 bytes", """{"set": "applications.0.aid", "to": "A0000003"}""", "applications[0].aid" },
        { "priority 16", """{"set": "applications.0.priority", "to": 16}""", "applications[0].priority" },
        { "PIN with letters", """{"set": "pin", "to": "12ab"}""", "pin" },
        { "PIN try limit 0", """{"set": "pinTryLimit", "to": 0}""", "pinTryLimit" },
        { "lower offline limit above the upper", """{"set": "risk.lowerConsecutiveOfflineLimit", "to": 20}""", "risk.lowerConsecutiveOfflineLimit" },
        { "log SFI in the application file range", """{"set": "log.sfi", "to": 3}""", "log.sfi" },
        { "master key of 8 bytes", """{"set": "masterKeys.ac.value", "to": "0123456789ABCDEF"}""", "masterKeys.ac.value" },
        { "missing MAC master key", """{"remove": "masterKeys.mac"}""", "masterKeys.mac" },
        { "a misspelt field", """{"set": "expiry", "to": "2030-12-31"}""", "expiry" },
        { "ODA method that does not exist", """{"set": "oda", "to": ["sda", "xda"]}""", "oda[1]" },
        { "a string where a number goes", """{"set": "currencyExponent", "to": "2"}""", "currencyExponent" },
        { "EC balance above its limit", """{"set": "ec", "to": {"balance": 2, "balanceLimit": 1, "singleLimit": 1}}""", "ec.balance" },
        { "EC without a single limit", """{"set": "ec", "to": {"balanceLimit": 1}}""", "ec.singleLimit" },
        { "EC reset threshold above the limit", """{"set": "ec", "to": {"balanceLimit": 1, "singleLimit": 1, "resetThreshold": 2}}""", "ec.resetThreshold" },
        { "EC field misspelt", """{"set": "ec", "to": {"balanceLimit": 1, "singleLimit": 1, "limit": 2}}""", "ec.limit" },
        { "EC negative balance", """{"set": "ec", "to": {"balance": -1, "balanceLimit": 1, "singleLimit": 1}}""", "ec.balance" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_profile_names_the_field(string description, string edit, string field)
    {
        var json = Edit(File.ReadAllText(TestFiles.Profile("pboc-debit-intl")), JsonNode.Parse(edit)!);

        bool ok = CardProfileReader.TryParse(json, out var profile, out var errors);

        Assert.False(ok, description);
        Assert.Null(profile);
        Assert.True(errors.Any(e => e.Field == field), $"{description}: expected an error on {field}, got: {string.Join("; ", errors)}");
        var exception = Assert.Throws<CardProfileException>(() => CardProfileReader.Parse(json, "test.json"));
        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
        Assert.Contains("test.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_of_a_profile_is_reported_at_once()
    {
        var json = Edit(Edit(File.ReadAllText(TestFiles.Profile("pboc-debit-intl")), JsonNode.Parse("""{"remove": "pan"}""")!),
            JsonNode.Parse("""{"set": "suite", "to": "x"}""")!);

        Assert.False(CardProfileReader.TryParse(json, out _, out var errors));
        Assert.Contains(errors, e => e.Field == "pan");
        Assert.Contains(errors, e => e.Field == "suite");
    }

    [Theory]
    [InlineData("{", "(json)", "truncated JSON")]
    [InlineData("[]", "(root)", "an array instead of an object")]
    public void Text_that_is_not_a_profile_object_is_refused(string json, string field, string description)
    {
        Assert.False(CardProfileReader.TryParse(json, out _, out var errors), description);
        Assert.Equal(field, errors.Single().Field);
    }

    [Theory]
    [InlineData("6225880000000019", true)]
    [InlineData("6225880000000018", false)]
    [InlineData("79927398713", true)]
    [InlineData("4111111111111111", true)]
    public void Luhn_check_digits(string pan, bool valid)
    {
        Assert.Equal(valid, Luhn.IsValid(pan));
        Assert.Equal(pan.Length > 0 && valid, Luhn.CheckDigit(pan.AsSpan(0, pan.Length - 1)) == pan[^1]);
    }

    /// <summary>Applies {"remove": "a.b"} or {"set": "a.0.b", "to": value} to the JSON text.</summary>
    private static string Edit(string json, JsonNode edit)
    {
        var root = JsonNode.Parse(json)!;
        bool remove = edit["remove"] is not null;
        var path = (remove ? edit["remove"] : edit["set"])!.GetValue<string>().Split('.');
        JsonNode parent = root;
        foreach (var step in path[..^1])
        {
            parent = int.TryParse(step, out int index) ? parent[index]! : parent[step]!;
        }

        if (remove)
        {
            parent.AsObject().Remove(path[^1]);
        }
        else
        {
            parent[path[^1]] = edit["to"]!.DeepClone();
        }

        return root.ToJsonString();
    }
}
