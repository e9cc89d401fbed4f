using System.Globalization;
using Jinka.Crypto;

namespace Jinka.Issuance.Profiles;

/// <summary>The nested sections of a profile: keys, risk, log, master keys.</summary>
public static partial class CardProfileReader
{
    /// <summary>
    /// "keys": { "ca": "80", "issuer": { "algorithm": "rsa", "bits": 1152, "exponent": 3 }, "icc": { … } }. RSA for
    /// the intl suite (1024–1984 bits, a multiple of 8; exponent 3 or 65537), SM2 for the sm suite.
    /// </summary>
    private static (byte? CaIndex, KeyProfile? Issuer, KeyProfile? Icc) Keys(JsonFields root, SuiteId? suite)
    {
        var keys = root.Object("keys");
        if (suite is null)
        {
            // Without a valid suite the key fields cannot be judged; the suite error is reported already.
            return (null, null, null);
        }

        var ca = keys?.Hex("ca", 1, 1);
        var issuer = KeyField(keys, "issuer", suite.Value, KeyProfile.Rsa(1152), MaxIssuerRsaBits);
        var icc = KeyField(keys, "icc", suite.Value, KeyProfile.Rsa(1024), MaxIccRsaBits);
        keys?.ReportUnknown();
        return (ca?[0], issuer, icc);
    }

    private static KeyProfile? KeyField(JsonFields? keys, string name, SuiteId suite, KeyProfile rsaDefault, int storeDataLimit)
    {
        var field = keys?.Object(name);
        if (field is null)
        {
            return suite == SuiteId.Sm ? KeyProfile.Sm2 : rsaDefault;
        }

        string? algorithm = field.String("algorithm");
        long? bits = field.Integer("bits", 0, int.MaxValue);
        long? exponent = field.Integer("exponent", 0, int.MaxValue);
        field.ReportUnknown();
        algorithm ??= suite == SuiteId.Sm ? "sm2" : "rsa";
        if (suite == SuiteId.Sm)
        {
            if (algorithm != "sm2")
            {
                field.Error("algorithm", $"the sm suite uses \"sm2\" keys, not \"{algorithm}\"");
                return null;
            }

            if (bits is not null || exponent is not null)
            {
                field.Error(bits is not null ? "bits" : "exponent", "an SM2 key has no length or exponent to choose");
                return null;
            }

            return KeyProfile.Sm2;
        }

        if (algorithm != "rsa")
        {
            field.Error("algorithm", $"the intl suite uses \"rsa\" keys, not \"{algorithm}\"");
            return null;
        }

        int length = (int)(bits ?? rsaDefault.Bits);
        if (length is < 1024 or > 1984 || length % 8 != 0)
        {
            field.Error("bits", string.Create(CultureInfo.InvariantCulture, $"{length} is not an EMV RSA key length (1024–1984, a multiple of 8)"));
            return null;
        }

        if (length > storeDataLimit)
        {
            field.Error("bits", string.Create(CultureInfo.InvariantCulture,
                $"{length} bits would make a record or DGI longer than one STORE DATA carries (247 bytes with the C-MAC); at most {storeDataLimit}"));
            return null;
        }

        int e = (int)(exponent ?? 3);
        if (e is not (3 or 65537))
        {
            field.Error("exponent", string.Create(CultureInfo.InvariantCulture, $"{e}: EMV public exponents are 3 or 65537"));
            return null;
        }

        return KeyProfile.Rsa(length, e);
    }

    private static RiskParameters? Risk(JsonFields root)
    {
        var risk = root.Object("risk");
        if (risk is null)
        {
            return null;
        }

        var defaults = new RiskParameters();
        long? lower = risk.Integer("lowerConsecutiveOfflineLimit", 0, 255);
        long? upper = risk.Integer("upperConsecutiveOfflineLimit", 0, 255);
        long? international = risk.Integer("consecutiveInternationalLimit", 0, 255);
        long? cumulative = risk.Integer("cumulativeAmountLimit", 0, 999_999_999_999);
        long? cumulativeUpper = risk.Integer("cumulativeAmountUpperLimit", 0, 999_999_999_999);
        var ada = risk.Hex("applicationDefaultAction", 2, 2);
        var indicator = risk.Hex("issuerAuthenticationIndicator", 1, 1);
        risk.ReportUnknown();
        var result = new RiskParameters
        {
            LowerConsecutiveOfflineLimit = (byte)(lower ?? defaults.LowerConsecutiveOfflineLimit),
            UpperConsecutiveOfflineLimit = (byte)(upper ?? defaults.UpperConsecutiveOfflineLimit),
            ConsecutiveInternationalLimit = (byte)(international ?? defaults.ConsecutiveInternationalLimit),
            CumulativeAmountLimit = cumulative ?? defaults.CumulativeAmountLimit,
            CumulativeAmountUpperLimit = cumulativeUpper ?? defaults.CumulativeAmountUpperLimit,
            ApplicationDefaultAction = ada ?? defaults.ApplicationDefaultAction,
            IssuerAuthenticationIndicator = indicator?[0] ?? defaults.IssuerAuthenticationIndicator,
        };
        if (result.LowerConsecutiveOfflineLimit > result.UpperConsecutiveOfflineLimit)
        {
            risk.Error("lowerConsecutiveOfflineLimit", "is above upperConsecutiveOfflineLimit");
        }

        if (result.CumulativeAmountLimit > result.CumulativeAmountUpperLimit)
        {
            risk.Error("cumulativeAmountLimit", "is above cumulativeAmountUpperLimit");
        }

        return result;
    }

    /// <summary>"ec": { "balance", "balanceLimit", "singleLimit", "resetThreshold", "cvmLimit" } in minor units, or absent for none.</summary>
    private static ElectronicCashSettings? ElectronicCash(JsonFields root)
    {
        var ec = root.Object("ec");
        if (ec is null)
        {
            return null;
        }

        const long Max = 999_999_999_999;
        long? balance = ec.Integer("balance", 0, Max);
        long? balanceLimit = ec.Integer("balanceLimit", 0, Max, required: true);
        long? singleLimit = ec.Integer("singleLimit", 0, Max, required: true);
        long? resetThreshold = ec.Integer("resetThreshold", 0, Max);
        long? cvmLimit = ec.Integer("cvmLimit", 0, Max);
        var loadLog = LogObject(ec, "loadLog", LogSettings.DefaultLoadLog);
        ec.ReportUnknown();
        if (balanceLimit is null || singleLimit is null)
        {
            return null;
        }

        if ((balance ?? 0) > balanceLimit)
        {
            ec.Error("balance", "is above balanceLimit");
        }

        if (resetThreshold > balanceLimit)
        {
            ec.Error("resetThreshold", "is above balanceLimit");
        }

        return new ElectronicCashSettings(balance ?? 0, balanceLimit.Value, singleLimit.Value, resetThreshold, cvmLimit ?? singleLimit.Value) { LoadLog = loadLog };
    }

    /// <summary>"log": { "sfi": 11, "records": 10 }, or false for no transaction log.</summary>
    private static LogSettings? Log(JsonFields root) => LogObject(root, "log", LogSettings.Default);

    /// <summary>A log's place: { "sfi": 11–30, "records": 1–30 }, false for none, absent for <paramref name="defaults"/>.</summary>
    private static LogSettings? LogObject(JsonFields parent, string name, LogSettings defaults)
    {
        if (parent.IsFalse(name))
        {
            return null;
        }

        var log = parent.Object(name);
        if (log is null)
        {
            return defaults;
        }

        long? sfi = log.Integer("sfi", 11, 30);
        long? records = log.Integer("records", 1, 30);
        log.ReportUnknown();
        return new LogSettings((int)(sfi ?? defaults.Sfi), (int)(records ?? defaults.Records));
    }

    /// <summary>"masterKeys": { "ac": { "label": "…", "value": "hex (TEST ONLY)" }, "mac": …, "enc": … }.</summary>
    private static (MasterKeyReference? Ac, MasterKeyReference? Mac, MasterKeyReference? Enc) MasterKeys(JsonFields root)
    {
        var keys = root.Object("masterKeys", required: true);
        if (keys is null)
        {
            return (null, null, null);
        }

        var result = (MasterKey(keys, "ac"), MasterKey(keys, "mac"), MasterKey(keys, "enc"));
        keys.ReportUnknown();
        return result;
    }

    private static MasterKeyReference? MasterKey(JsonFields keys, string name)
    {
        var key = keys.Object(name, required: true);
        if (key is null)
        {
            return null;
        }

        string? label = key.String("label", required: true);
        var value = key.Hex("value", 16, 16);
        key.ReportUnknown();
        if (label is not null && string.IsNullOrWhiteSpace(label))
        {
            key.Error("label", "is empty");
            return null;
        }

        return label is null ? null : new MasterKeyReference(label, value);
    }
}
