namespace Jinka.Core.Dictionary;

/// <summary>Data element formats of EMV Book 3 §4.3 (and Annex A).</summary>
public enum DataFormat
{
    /// <summary>Alphabetic (a–z, A–Z), one character per byte.</summary>
    A,

    /// <summary>Alphanumeric, one character per byte.</summary>
    An,

    /// <summary>Alphanumeric and special characters, one character per byte.</summary>
    Ans,

    /// <summary>Binary.</summary>
    B,

    /// <summary>Compressed numeric: BCD, left justified, padded on the right with F.</summary>
    Cn,

    /// <summary>Numeric: BCD, right justified, padded on the left with 0.</summary>
    N,

    /// <summary>"var." in Annex A: templates and other composite values.</summary>
    Var,
}

/// <summary>Who supplies a data element.</summary>
public enum DataSource
{
    /// <summary>The ICC (card).</summary>
    Card,

    /// <summary>The terminal (including its acquirer-set parameters).</summary>
    Terminal,

    /// <summary>The issuer host, via the online response.</summary>
    Issuer,
}
