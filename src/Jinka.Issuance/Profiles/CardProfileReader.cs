using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Jinka.Card;
using Jinka.Core.Dol;
using Jinka.Crypto;
using Jinka.Crypto.Emv;

namespace Jinka.Issuance.Profiles;

/// <summary>
/// Reads a card profile from JSON (profiles/README.md describes the fields) and checks it completely: every problem
/// is reported with the field's JSON path. Defaults follow the product (debit/credit) and the suite (intl/sm).
/// </summary>
public static partial class CardProfileReader
{
    /// <summary>Largest RSA issuer key whose ICC certificate record (70 81 L 9F46 81 N_I …) fits one STORE DATA (D16).</summary>
    public const int MaxIssuerRsaBits = 1904;

    /// <summary>Largest RSA ICC key whose modulus DGI 8206 fits one STORE DATA (D16).</summary>
    public const int MaxIccRsaBits = 1952;

    private static readonly JsonDocumentOptions s_jsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads and checks the profile file at <paramref name="path"/>.</summary>
    /// <exception cref="CardProfileException">The JSON is malformed or a field is not valid; the errors name each field.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CardProfile Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads and checks a profile from JSON text.</summary>
    /// <exception cref="CardProfileException">The JSON is malformed or a field is not valid.</exception>
    public static CardProfile Parse(string json, string source = "(text)")
        => TryParse(json, out var profile, out var errors) ? profile : throw new CardProfileException(source, errors);

    /// <summary>Like <see cref="Parse"/>, returning the errors instead of throwing.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out CardProfile? profile, out IReadOnlyList<ProfileError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        var list = new List<ProfileError>();
        errors = list;
        profile = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_jsonOptions);
        }
        catch (JsonException e)
        {
            list.Add(new ProfileError("(json)", $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}"));
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                list.Add(new ProfileError("(root)", "a profile is a JSON object"));
                return false;
            }

            profile = Read(new JsonFields(document.RootElement, "", list), list);
        }

        if (list.Count > 0)
        {
            profile = null;
            return false;
        }

        return profile is not null;
    }

    private static CardProfile? Read(JsonFields root, List<ProfileError> errors)
    {
        string? name = root.String("name");
        var suite = Suite(root);
        var product = Product(root);
        string? pan = Pan(root);
        int? psn = root.Digits("psn", 2, required: true);
        var effective = root.Date("effectiveDate", required: true);
        var expiry = root.Date("expiryDate", required: true);
        if (effective is not null && expiry is not null && expiry <= effective)
        {
            root.Error("expiryDate", $"{expiry:yyyy-MM-dd} is not after the effective date {effective:yyyy-MM-dd}");
        }

        string? cardholder = Text(root, "cardholderName", 2, 26);
        int? serviceCode = root.Digits("serviceCode", 3);
        var applications = Applications(root, product);
        string? language = root.String("language");
        if (language is not null && (language.Length is < 2 or > 8 || language.Length % 2 != 0 || !language.All(char.IsAsciiLetterLower)))
        {
            root.Error("language", $"expected 1–4 two-letter ISO 639 codes in lower case (e.g. \"zhen\"), found \"{language}\"");
        }

        int? country = root.Digits("issuerCountry", 3);
        int? currency = root.Digits("currency", 3);
        long? exponent = root.Integer("currencyExponent", 0, 9);
        var cvm = root.Hex("cvmList", 10, 252);
        if (cvm is not null && cvm.Length % 2 != 0)
        {
            root.Error("cvmList", "expected amount X (4) ‖ amount Y (4) ‖ 2-byte rules");
        }

        var iac = root.Object("iac");
        var iacDenial = iac?.Hex("denial", 5, 5);
        var iacOnline = iac?.Hex("online", 5, 5);
        var iacDefault = iac?.Hex("default", 5, 5);
        iac?.ReportUnknown();
        var auc = root.Hex("auc", 2, 2);
        var version = root.Hex("applicationVersion", 2, 2);
        var cdol1 = DolField(root, "cdol1");
        var cdol2 = DolField(root, "cdol2");
        var ddol = DolField(root, "ddol");
        var pdol = DolField(root, "pdol", allowEmpty: true);
        var oda = Oda(root);
        var (caIndex, issuerKey, iccKey) = Keys(root, suite);
        var dki = root.Hex("dki", 1, 1);
        string? pin = root.String("pin", required: true);
        if (pin is not null && (pin.Length is < 4 or > 12 || !pin.All(char.IsAsciiDigit)))
        {
            root.Error("pin", "expected 4–12 decimal digits");
        }

        long? tryLimit = root.Integer("pinTryLimit", 1, 15);
        var risk = Risk(root);
        var log = Log(root);
        var electronicCash = ElectronicCash(root);
        if (log is not null && electronicCash?.LoadLog?.Sfi == log.Sfi)
        {
            root.ErrorAt("ec.loadLog.sfi", $"is SFI {log.Sfi}, which the transaction log (log.sfi) already uses");
        }

        bool contactless = root.IsTrue("contactless");
        long? balance = root.Integer("openingBalance", 0, 999_999_999_999);
        var (ac, mac, enc) = MasterKeys(root);
        root.ReportUnknown();

        if (errors.Count > 0 || suite is null || product is null || pan is null || psn is null || effective is null || expiry is null
            || applications is null || pin is null || ac is null || mac is null || enc is null || issuerKey is null || iccKey is null)
        {
            return null;
        }

        return new CardProfile
        {
            Name = name ?? $"PBOC {product.Value.ToString().ToLowerInvariant()} ({(suite == SuiteId.Sm ? "sm" : "intl")})",
            Suite = suite.Value,
            Product = product.Value,
            Pan = pan,
            Psn = (byte)(((psn.Value / 10) << 4) | (psn.Value % 10)),
            CardholderName = cardholder ?? "JINKA/TEST CARD",
            EffectiveDate = effective.Value,
            ExpiryDate = expiry.Value,
            ServiceCode = serviceCode is int code ? code.ToString("D3", CultureInfo.InvariantCulture) : "220",
            Applications = applications,
            Language = language ?? "zhen",
            IssuerCountry = country ?? 156,
            Currency = currency ?? 156,
            CurrencyExponent = (byte)(exponent ?? 2),
            CvmList = cvm ?? Convert.FromHexString("000000000000000042031E031F00"),
            IacDenial = iacDenial ?? Convert.FromHexString("0010000000"),
            IacOnline = iacOnline ?? Convert.FromHexString("D8689CF800"),
            IacDefault = iacDefault ?? Convert.FromHexString("D8609CA800"),
            Auc = auc ?? [0xFF, 0x00],
            ApplicationVersion = version ?? [0x00, 0x30],
            Cdol1 = cdol1 ?? [.. CardProfile.DefaultCdol1],
            Cdol2 = cdol2 ?? [.. CardProfile.DefaultCdol2],
            Ddol = ddol ?? [.. CardProfile.DefaultDdol],
            Pdol = pdol ?? [],
            Oda = oda ?? (OdaMethods.Sda | OdaMethods.Dda | OdaMethods.Cda),
            CaIndex = caIndex ?? (suite == SuiteId.Sm ? (byte)0x81 : (byte)0x80),
            IssuerKey = issuerKey,
            IccKey = iccKey,
            Dki = dki?[0] ?? 0x01,
            Pin = pin,
            PinTryLimit = (byte)(tryLimit ?? 3),
            Risk = risk ?? new RiskParameters(),
            Log = log,
            ElectronicCash = electronicCash,
            Contactless = contactless,
            OpeningBalance = balance ?? 0,
            MdkAc = ac,
            MdkMac = mac,
            MdkEnc = enc,
        };
    }

    private static SuiteId? Suite(JsonFields root) => root.String("suite", required: true) switch
    {
        null => null,
        "intl" => SuiteId.International,
        "sm" => SuiteId.Sm,
        var other => Fail<SuiteId>(root, "suite", $"expected \"intl\" or \"sm\", found \"{other}\""),
    };

    private static CardProduct? Product(JsonFields root) => root.String("product", required: true) switch
    {
        null => null,
        "debit" => CardProduct.Debit,
        "credit" => CardProduct.Credit,
        var other => Fail<CardProduct>(root, "product", $"expected \"debit\" or \"credit\", found \"{other}\""),
    };

    private static T? Fail<T>(JsonFields fields, string name, string message)
        where T : struct
    {
        fields.Error(name, message);
        return null;
    }

    private static string? Pan(JsonFields root)
    {
        string? pan = root.String("pan", required: true);
        if (pan is null)
        {
            return null;
        }

        if (!EmvPan.TryValidate(pan, out int digits, out var error) || digits != pan.Length)
        {
            root.Error("pan", error ?? "expected decimal digits only (no F padding)");
            return null;
        }

        if (!Luhn.IsValid(pan))
        {
            root.Error("pan", $"check digit {pan[^1]} is wrong (Luhn); {Luhn.CheckDigit(pan.AsSpan(0, pan.Length - 1))} is expected");
            return null;
        }

        return pan;
    }

    private static string? Text(JsonFields fields, string name, int min, int max)
    {
        string? text = fields.String(name);
        if (text is not null && (text.Length < min || text.Length > max || !text.All(c => c is >= ' ' and <= '~')))
        {
            fields.Error(name, string.Create(CultureInfo.InvariantCulture, $"expected {min}–{max} printable ASCII characters"));
            return null;
        }

        return text;
    }

    private static List<ApplicationProfile>? Applications(JsonFields root, CardProduct? product)
    {
        var list = root.Array("applications");
        if (list is null)
        {
            return product switch
            {
                CardProduct.Debit => [new ApplicationProfile(Aid.Parse("A000000333010101"), "PBOC DEBIT", 1)],
                CardProduct.Credit => [new ApplicationProfile(Aid.Parse("A000000333010102"), "PBOC CREDIT", 1)],
                _ => null,
            };
        }

        if (list.Count == 0)
        {
            root.Error("applications", "at least one application is needed");
            return null;
        }

        var result = new List<ApplicationProfile>();
        foreach (var (element, path) in list)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                root.ErrorAt(path, "expected an object");
                continue;
            }

            var app = root.Child(element, path);
            var aidBytes = app.Hex("aid", 5, 16, required: true);
            string? label = Text(app, "label", 1, 16);
            long? priority = app.Integer("priority", 1, 15);
            string? preferred = Text(app, "preferredName", 1, 16);
            app.ReportUnknown();
            if (aidBytes is null)
            {
                continue;
            }

            var aid = new Aid(aidBytes);
            if (result.Any(a => a.Aid == aid))
            {
                app.Error("aid", $"{aid} is listed twice");
                continue;
            }

            result.Add(new ApplicationProfile(aid, label ?? (product == CardProduct.Credit ? "PBOC CREDIT" : "PBOC DEBIT"), (byte)(priority ?? result.Count + 1), preferred));
        }

        return result.Count == list.Count ? result : null;
    }

    private static byte[]? DolField(JsonFields root, string name, bool allowEmpty = false)
    {
        var dol = root.Hex(name, allowEmpty ? 0 : 2, 252);
        if (dol is not null && dol.Length > 0 && !Dol.TryParse(dol, out _))
        {
            root.Error(name, "not a data object list (tag ‖ one-byte length pairs)");
            return null;
        }

        return dol;
    }

    private static OdaMethods? Oda(JsonFields root)
    {
        var list = root.Array("oda");
        if (list is null)
        {
            return null;
        }

        var methods = OdaMethods.None;
        foreach (var (element, path) in list)
        {
            methods |= (element.ValueKind == JsonValueKind.String ? element.GetString() : null) switch
            {
                "sda" => OdaMethods.Sda,
                "dda" => OdaMethods.Dda,
                "cda" => OdaMethods.Cda,
                _ => Report(root, path, "expected \"sda\", \"dda\" or \"cda\""),
            };
        }

        return methods;
    }

    private static OdaMethods Report(JsonFields root, string path, string message)
    {
        root.ErrorAt(path, message);
        return OdaMethods.None;
    }
}
