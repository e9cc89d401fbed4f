using System.Text.Json.Nodes;
using Jinka.Core;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Host.Issuing;

namespace Jinka.Cli.Banking;

/// <summary>
/// The online PIN reference a card issued by <c>jinka issue</c> or <c>jinka demo</c> gets in its bank file and keys
/// file (choice P54): a Visa PVV of the profile's PIN under a fixed TEST PIN verification key.
/// </summary>
internal static class TestPinVerification
{
    /// <summary>TEST KEY ONLY: the PIN verification key of every Jinka test card ("JINKA TEST PVK 1" in ASCII, 3DES).</summary>
    public const string TestPvkHex = "4A494E4B4120544553542050564B2031";

    /// <summary>The PIN verification key index of test cards.</summary>
    public const int TestPvki = 1;

    /// <summary>
    /// <paramref name="keys"/> with the PVK, PVKI and the PVV of <paramref name="pin"/>; unchanged when the PIN is not
    /// 4–12 digits or the PAN too short for the PVV (the issuer then notes an online PIN it cannot verify, P52).
    /// </summary>
    public static CardKeysFile Add(CardKeysFile keys, string? pin)
    {
        if (pin is null || !IsoPinBlock.IsValidPin(pin) || keys.Card.Pan.Length < 12)
        {
            return keys;
        }

        byte[] pvk = Hex.Parse(TestPvkHex);
        using var store = new SoftwareKeyStore();
        store.ImportClearKey("pvk", KeyUsage.PinVerification, CipherAlgorithm.TripleDes, pvk);
        return keys.WithPinVerification(pvk, TestPvki, store.GeneratePvv("pvk", keys.Card.Pan, TestPvki, pin));
    }

    /// <summary>The D23 keys JSON of the issuance with the reference's "pvk", "pvki", "pvv" added (what --keys-out writes).</summary>
    public static string AddToKeysJson(string issuedKeysJson, CardKeysFile keys)
    {
        var root = JsonNode.Parse(issuedKeysJson)!.AsObject();
        if (keys.HasPinVerification)
        {
            root["pvk"] = Hex.Encode(keys.Pvk);
            root["pvki"] = keys.Pvki!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            root["pvv"] = keys.Pvv;
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
