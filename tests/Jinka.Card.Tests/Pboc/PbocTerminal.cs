using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Symmetric;

namespace Jinka.Card.Tests.Pboc;

/// <summary>A GENERATE AC answer in either format (contract P5).</summary>
internal sealed record GacAnswer(byte Cid, ushort Atc, byte[] Ac, byte[] Iad, byte[]? SignedData, byte[] Template77Value)
{
    /// <summary>The 3 CVR bytes inside 9F10 (contract P1: 07 DKI CVN 03 CVR…).</summary>
    public byte[] Cvr => Iad[4..7];

    public CryptogramType Type => (CryptogramType)(Cid & 0xC0);

    public static GacAnswer Parse(ResponseApdu response)
    {
        Assert.Equal(StatusWord.Success, response.StatusWord);
        var data = response.Data.ToArray();
        var reader = new TlvReader(data);
        Assert.True(reader.Read());
        var value = reader.ValueSpan.ToArray();
        if (reader.Tag == new Tag(0x80))
        {
            return new GacAnswer(value[0], (ushort)((value[1] << 8) | value[2]), value[3..11], value[11..], null, []);
        }

        Assert.Equal(new Tag(0x77), reader.Tag);
        var objects = new Dictionary<uint, byte[]>();
        var children = reader.ReadChildren();
        while (children.Read())
        {
            objects[children.Tag.Value] = children.ValueSpan.ToArray();
        }

        return new GacAnswer(objects[0x9F27][0], (ushort)((objects[0x9F36][0] << 8) | objects[0x9F36][1]), objects[0x9F26], objects[0x9F10], objects.GetValueOrDefault(0x9F4Bu), value);
    }
}

/// <summary>
/// A test terminal: raw APDUs through <see cref="VirtualCardTransport"/>, and the issuer's cryptography recomputed
/// from the contract without the card's code (3DES with .NET; SM4 with the bare block cipher, chaining done here).
/// </summary>
internal sealed class PbocTerminal
{
    public PbocTerminal(VirtualCard card, PbocTestIssuer issuer)
    {
        Card = card;
        Issuer = issuer;
        Transport = new VirtualCardTransport(card, leavePowered: true);
    }

    public VirtualCard Card { get; }

    public PbocTestIssuer Issuer { get; }

    public VirtualCardTransport Transport { get; }

    public AlgorithmSuite Suite => Issuer.Suite;

    /// <summary>The ARQC of the current transaction (after <see cref="FirstAc"/> answered one).</summary>
    public byte[]? Arqc { get; private set; }

    public ushort Atc { get; private set; }

    public ResponseApdu Send(CommandApdu command)
    {
        var response = Transport.TransmitAsync(command).GetAwaiter().GetResult();
        Assert.True(response.StatusWord != StatusWord.NoPreciseDiagnosis, $"6F00 for {command}: {Card.LastFault}");
        return response;
    }

    public ResponseApdu Send(string hex) => Send(CommandApdu.Parse(Hex.Parse(hex)));

    public string Sw(string hex) => Send(hex).StatusWord.ToString();

    public string Sw(CommandApdu command) => Send(command).StatusWord.ToString();

    public ResponseApdu Select() => Send(ApduCommands.SelectByName(PbocTestIssuer.Debit.Span));

    public ResponseApdu Gpo(Txn txn, byte smSupport = 0x01)
    {
        var response = Send(ApduCommands.GetProcessingOptions(PbocTestIssuer.PdolData(txn, smSupport)));
        if (response.StatusWord.IsSuccess)
        {
            Atc = (ushort)Card.Inspect(PbocTestIssuer.Debit, c => c.Store.GetUInt("state/atc"));
        }

        return response;
    }

    /// <summary>SELECT and GPO, both 9000.</summary>
    public void Start(Txn txn)
    {
        Assert.Equal(StatusWord.Success, Select().StatusWord);
        Assert.Equal(StatusWord.Success, Gpo(txn).StatusWord);
    }

    public ResponseApdu GenerateAc(CryptogramType type, byte[] cdolData, bool cda = false) => Send(ApduCommands.GenerateAc(type, cdolData, cda));

    public GacAnswer FirstAc(CryptogramType type, Txn txn, bool cda = false)
    {
        var answer = GacAnswer.Parse(GenerateAc(type, PbocTestIssuer.Cdol1Data(txn), cda));
        Arqc = answer.Type == CryptogramType.Arqc ? answer.Ac : null;
        return answer;
    }

    public GacAnswer SecondAc(CryptogramType type, Txn txn, string arc = "3030", bool cda = false)
        => GacAnswer.Parse(GenerateAc(type, PbocTestIssuer.Cdol2Data(txn, arc), cda));

    /// <summary>EXTERNAL AUTHENTICATE with an ARPC computed here (or a wrong one).</summary>
    public ResponseApdu ExternalAuthenticate(string arc = "3030", bool corrupt = false)
    {
        var arcBytes = Hex.Parse(arc);
        var arpc = IndependentCrypto.Arpc(Suite, IndependentCrypto.SessionKey(Suite, Issuer.Udks[0], Atc), Arqc!, arcBytes);
        if (corrupt)
        {
            arpc[0] ^= 0x01;
        }

        return Send(ApduCommands.ExternalAuthenticate([.. arpc, .. arcBytes]));
    }

    /// <summary>A script command with its MAC (contract P9) under the MAC session key of this ATC over the ARQC.</summary>
    public CommandApdu Script(byte cla, byte ins, byte p1, byte p2, byte[] data, bool corruptMac = false)
    {
        byte lc = (byte)(data.Length + 4);
        byte[] input = [cla, ins, p1, p2, lc, (byte)(Atc >> 8), (byte)Atc, .. Arqc!, .. data];
        var mac = IndependentCrypto.Mac(Suite, IndependentCrypto.SessionKey(Suite, Issuer.Udks[1], Atc), input, 4);
        if (corruptMac)
        {
            mac[3] ^= 0x80;
        }

        return new CommandApdu(cla, ins, p1, p2, [.. data, .. mac]);
    }

    /// <summary>Script data enciphered under SK-ENC (choice 11): Ld ‖ data ‖ 80 ‖ 00…, ECB.</summary>
    public byte[] EncipherScriptData(byte[] plain)
    {
        var key = IndependentCrypto.SessionKey(Suite, Issuer.Udks[2], Atc);
        int block = Suite.BlockSize;
        int length = ((plain.Length + 2 + block - 1) / block) * block;
        var padded = new byte[length];
        padded[0] = (byte)plain.Length;
        plain.CopyTo(padded, 1);
        padded[1 + plain.Length] = 0x80;
        using var cipher = IndependentCrypto.Cipher(Suite, key);
        return cipher.EncryptEcb(padded);
    }

    /// <summary>The AC recomputed from contract P3 with the CDOL data sent, the card's AIP and ATC, and the CVR it reported.</summary>
    public byte[] ExpectedAc(byte[] cdolData, bool second, GacAnswer answer)
    {
        // P4: CDOL2 starts with 8A (2 bytes), then the same elements as CDOL1 up to 9F37.
        var values = second ? cdolData[2..] : cdolData;
        byte[] input = [.. values[..29], .. Hex.Parse(Issuer.Profile.Aip), (byte)(answer.Atc >> 8), (byte)answer.Atc, 0x03, .. answer.Cvr];
        return IndependentCrypto.Mac(Suite, IndependentCrypto.SessionKey(Suite, Issuer.Udks[0], answer.Atc), input, 8);
    }
}

/// <summary>The issuer's cryptography rebuilt from NOTES A.5/A.6 and choices 2, 3, 5, 11 without <see cref="AlgorithmSuite"/>'s MAC or key code.</summary>
internal static class IndependentCrypto
{
    public static BlockCipher Cipher(AlgorithmSuite suite, byte[] key) => BlockCipher.Create(suite.Cipher, key);

    /// <summary>PBOC session key: E(00…‖ATC) ‖ E(00…‖ATC⊕FFFF) (3DES, two 8-byte blocks; SM4, one 16-byte block).</summary>
    public static byte[] SessionKey(AlgorithmSuite suite, byte[] udk, ushort atc)
    {
        var input = new byte[16];
        input[6] = (byte)(atc >> 8);
        input[7] = (byte)atc;
        input[14] = (byte)~(atc >> 8);
        input[15] = (byte)~atc;
        if (suite.Id == SuiteId.International)
        {
            using var tdes = TripleDES.Create();
            tdes.Key = [.. udk, .. udk[..8]]; // K1 K2 K1: OpenSSL wants the 24-byte form
            return tdes.EncryptEcb(input, PaddingMode.None);
        }

        using var sm4 = Cipher(suite, udk);
        return sm4.EncryptEcb(input);
    }

    /// <summary>ISO 9797-1 padding 2; 3DES: algorithm 3 (retail MAC, single DES CBC then D/E); SM4: CBC-MAC over 16-byte blocks.</summary>
    public static byte[] Mac(AlgorithmSuite suite, byte[] key, byte[] data, int length)
    {
        int block = suite.BlockSize;
        var padded = new byte[((data.Length / block) + 1) * block];
        data.CopyTo(padded, 0);
        padded[data.Length] = 0x80;
        byte[] chain;
        if (suite.Id == SuiteId.International)
        {
            using var left = DES.Create();
            left.Key = key[..8];
            using var right = DES.Create();
            right.Key = key[8..];
            chain = left.EncryptCbc(padded, new byte[8], PaddingMode.None)[^8..];
            chain = right.DecryptEcb(chain, PaddingMode.None);
            chain = left.EncryptEcb(chain, PaddingMode.None);
        }
        else
        {
            using var sm4 = Cipher(suite, key);
            chain = new byte[16];
            for (int i = 0; i < padded.Length; i += 16)
            {
                for (int j = 0; j < 16; j++)
                {
                    chain[j] ^= padded[i + j];
                }

                chain = sm4.EncryptEcb(chain);
            }
        }

        return chain[..length];
    }

    /// <summary>ARPC method 1 (NOTES A.5.4; choice 3 for SM4).</summary>
    public static byte[] Arpc(AlgorithmSuite suite, byte[] sessionKey, byte[] arqc, byte[] arc)
    {
        var x = (byte[])arqc.Clone();
        x[0] ^= arc[0];
        x[1] ^= arc[1];
        if (suite.Id == SuiteId.International)
        {
            using var tdes = TripleDES.Create();
            tdes.Key = [.. sessionKey, .. sessionKey[..8]];
            return tdes.EncryptEcb(x, PaddingMode.None);
        }

        using var sm4 = Cipher(suite, sessionKey);
        return sm4.EncryptEcb([.. x, .. new byte[8]])[..8];
    }
}

/// <summary>Reads the card's persistent PBOC state directly (what GET DATA does not show).</summary>
internal static class PbocInspection
{
    public static uint Cell(this VirtualCard card, string key) => card.Inspect(PbocTestIssuer.Debit, c => c.Store.GetUInt(key));

    public static byte[]? Bytes(this VirtualCard card, string key) => card.Inspect(PbocTestIssuer.Debit, c => c.Store.Get(key));

    public static Jinka.Card.Applications.ApplicationLifeCycle LifeCycle(this VirtualCard card) => card.Inspect(PbocTestIssuer.Debit, c => c.LifeCycle);

    public static string State(this VirtualCard card)
        => $"atc={card.Cell("state/atc")} count={card.Cell("state/offline-count")} amount={Hex.Encode(card.Bytes("state/offline-amount") ?? [])} flags={card.Cell("state/flags"):X2} tries={card.Cell("pin/tries")}";
}
