using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Crypto.Hashing;
using Jinka.Terminal.Pin;

namespace Jinka.Terminal.Tests.Fakes;

internal sealed partial class FakeCard
{
    private byte[] AtcBytes => [(byte)(Profile.Atc >> 8), (byte)Profile.Atc];

    /// <summary>The card's AC session key (NOTES A.5: UDK option A, PBOC session key).</summary>
    public byte[] AcSessionKey => SessionKey(TestKeys.MdkAc);

    public byte[] MacSessionKey => SessionKey(TestKeys.MdkMac);

    private byte[] SessionKey(byte[] mdk)
    {
        var suite = Profile.AlgorithmSuite;
        var udk = suite.DeriveUdk(mdk, Profile.Pan, Profile.Psn);
        return suite.DeriveSessionKey(udk, AtcBytes);
    }

    private ResponseApdu InternalAuthenticate(CommandApdu command)
    {
        var ddolData = command.Data.Span;
        var dynamicNumber = new byte[8];
        _random.NextBytes(dynamicNumber);
        byte[] iccDynamicData = [0x08, .. dynamicNumber];
        byte[] sdad = Profile.IsSm
            ? Sm2SignedDynamicData.Create(iccDynamicData, ddolData, TestKeys.Sm2Icc).Encoded.ToArray()
            : EmvRsaSignedDynamicData.Create(iccDynamicData, ddolData, TestKeys.RsaIcc);
        CardPersonalisation.Flip(sdad, Profile.Tamper == Tamper.DynamicSignature);
        return Profile.IsSm || Profile.DdaFormat2
            ? Ok(Tlv("77", Tlv("9F4B", sdad)))
            : Ok(Tlv("80", sdad));
    }

    private ResponseApdu Verify(CommandApdu command)
    {
        if (PinTriesLeft == 0)
        {
            return Status(0x6983);
        }

        byte[]? block;
        if (command.P2 == 0x80)
        {
            block = command.Data.ToArray();
        }
        else if (command.P2 == 0x88 && _challenge is { } challenge)
        {
            _challenge = null;
            block = Decipher(command.Data.Span, challenge);
            if (block is null)
            {
                return Status(0x6A80);
            }
        }
        else
        {
            return Status(0x6985);
        }

        if (block.Length == 8 && block.AsSpan().SequenceEqual(PinBlock.Format2(Profile.Pin)))
        {
            PinTriesLeft = Profile.PinTries;
            return Status(0x9000);
        }

        PinTriesLeft--;
        return Status((ushort)(0x63C0 | PinTriesLeft));
    }

    private byte[]? Decipher(ReadOnlySpan<byte> enciphered, byte[] challenge)
    {
        if (Profile.IsSm)
        {
            return Sm2.TryDecrypt(TestKeys.Sm2Icc, enciphered, Sm2CiphertextFormat.C1C3C2, out var plain, out _)
                && plain.Length == 17 && plain[0] == 0x7F && plain.AsSpan(9).SequenceEqual(challenge)
                ? plain[1..9]
                : null;
        }

        return EmvRsaPinEncipherment.TryDecipher(TestKeys.RsaIcc, enciphered, out var pinBlock, out var carried, out _) && carried.AsSpan().SequenceEqual(challenge)
            ? pinBlock
            : null;
    }

    private ResponseApdu GenerateAc(CommandApdu command)
    {
        bool second = _firstGacDone;
        if (_secondGacDone || _pdolData is null)
        {
            return Status(0x6985);
        }

        var dol = Dol.Parse(Hex.Parse(second ? Profile.Cdol2 : Profile.Cdol1));
        var data = command.Data.ToArray();
        if (!dol.TrySplit(data, out var elements))
        {
            return Status(0x6700);
        }

        var requested = (CryptogramType)(command.P1 & 0xC0);
        bool cda = (command.P1 & 0x10) != 0;
        var type = Profile.Decide(requested, second);
        byte typeBits = type switch { CryptogramType.Tc => 0x01, CryptogramType.Arqc => 0x02, _ => 0x00 };
        if (!second)
        {
            _firstCvrBits = (byte)(typeBits << 4);
        }

        // P2: CVR byte 1 b8–b7 second GAC (10 = not requested), b6–b5 first GAC.
        byte cvr1 = (byte)((second ? typeBits << 6 : 0x80) | _firstCvrBits);
        byte[] cvr = [0x03, cvr1, 0x00, 0x00];
        var values = elements.ToDictionary(e => e.Tag, e => e.Value.ToArray());
        byte[] input =
        [
            .. values[new Tag(0x9F02)], .. values[new Tag(0x9F03)], .. values[new Tag(0x9F1A)], .. values[new Tag(0x95)],
            .. values[new Tag(0x5F2A)], .. values[new Tag(0x9A)], .. values[new Tag(0x9C)], .. values[new Tag(0x9F37)],
            .. Data.Aip, .. AtcBytes, .. cvr,
        ];
        var ac = Profile.AlgorithmSuite.GenerateAc(AcSessionKey, input);
        byte cid = (byte)type;
        byte[] iad = [0x07, 0x01, 0x01, .. cvr, Profile.AlgorithmSuite.AlgorithmIdentifier];
        Cryptograms.Add((type, ac));
        if (second)
        {
            _secondGacDone = true;
        }
        else
        {
            _firstGacDone = true;
            _cdol1Data = data;
            _arqc = type == CryptogramType.Arqc ? ac : null;
        }

        if (!cda || type == CryptogramType.Aac)
        {
            return Ok(Tlv("80", [cid, .. AtcBytes, .. ac, .. iad]));
        }

        byte[] objects = [.. Tlv("9F27", [cid]), .. Tlv("9F36", AtcBytes), .. Tlv("9F26", ac), .. Tlv("9F10", iad)];
        var hash = CdaTransactionData.ComputeHash(Profile.IsSm ? HashAlgorithmKind.Sm3 : HashAlgorithmKind.Sha1, _pdolData, _cdol1Data!, second ? data : default, objects);
        var dynamicNumber = new byte[8];
        _random.NextBytes(dynamicNumber);
        var iccDynamicData = new CdaIccDynamicData(dynamicNumber, cid, ac, hash);
        var un = values[new Tag(0x9F37)];
        byte[] sdad = Profile.IsSm
            ? Sm2SignedDynamicData.Create(iccDynamicData.Encode(), un, TestKeys.Sm2Icc).Encoded.ToArray()
            : EmvRsaSignedDynamicData.CreateCda(iccDynamicData, un, TestKeys.RsaIcc);
        CardPersonalisation.Flip(sdad, Profile.Tamper == Tamper.CdaSignature);
        return Ok(Tlv("77", [.. objects, .. Tlv("9F4B", sdad)]));
    }

    private ResponseApdu ExternalAuthenticate(CommandApdu command)
    {
        var data = command.Data.Span;
        if (_arqc is null || data.Length != 10)
        {
            return Status(0x6985);
        }

        var expected = Profile.AlgorithmSuite.Arpc1(AcSessionKey, _arqc, data[8..]);
        IssuerAuthenticated = CryptographicOperations.FixedTimeEquals(expected, data[..8]);
        return Status(IssuerAuthenticated ? (ushort)0x9000 : (ushort)0x6300);
    }

    /// <summary>Script commands (contract P9): MAC over CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data, under the MAC session key.</summary>
    private ResponseApdu Script(CommandApdu command)
    {
        if (Profile.FailScriptIns == command.Ins)
        {
            return Status(0x6A80);
        }

        var data = command.Data.Span;
        if (_arqc is null || data.Length < 4)
        {
            return Status(0x6985);
        }

        byte[] input = [command.Cla, command.Ins, command.P1, command.P2, (byte)data.Length, .. AtcBytes, .. _arqc, .. data[..^4]];
        var mac = Profile.AlgorithmSuite.ScriptMac(MacSessionKey, input);
        if (!CryptographicOperations.FixedTimeEquals(mac, data[^4..]))
        {
            return Status(0x6988);
        }

        ScriptsApplied.Add(Hex.Encode(command.ToArray()));
        return Status(0x9000);
    }
}
