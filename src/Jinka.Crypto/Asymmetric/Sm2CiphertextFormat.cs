namespace Jinka.Crypto.Asymmetric;

/// <summary>How an SM2 ciphertext (C1 = [k]G, C2 = M ⊕ t, C3 = SM3(x2 ‖ M ‖ y2)) is laid out in bytes.</summary>
public enum Sm2CiphertextFormat
{
    /// <summary>04 ‖ x1 ‖ y1 ‖ C3 ‖ C2: the order GM/T 0003.4-2012 §6.1 A8 and GB/T 32918.4-2016 prescribe. The default.</summary>
    C1C3C2,

    /// <summary>04 ‖ x1 ‖ y1 ‖ C2 ‖ C3: the 2010 draft's order, still what BouncyCastle 1.8.10's SM2Engine produces.</summary>
    C1C2C3,

    /// <summary>DER SEQUENCE { INTEGER x1, INTEGER y1, OCTET STRING C3, OCTET STRING C2 } (GM/T 0009 SM2Cipher; OpenSSL's form).</summary>
    Der,
}
