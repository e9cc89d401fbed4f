namespace Jinka.Core.Tlv;

/// <summary>
/// Limits and leniencies for <see cref="TlvReader"/>. <c>default</c> gives the documented defaults
/// (MaxDepth 8, padding allowed), like <c>JsonReaderOptions</c>.
/// </summary>
public readonly record struct TlvReaderOptions
{
    public const int DefaultMaxDepth = 8;

    /// <summary>Upper bound for <see cref="MaxDepth"/>, so hostile input cannot drive a recursive walk off the stack.</summary>
    public const int MaxAllowedDepth = 64;

    private readonly int _maxDepth;
    private readonly bool _rejectPadding;

    /// <summary>
    /// The deepest a child reader may go: top-level objects are at depth 0, the contents of a
    /// top-level template at depth 1, and so on. 0 means <see cref="DefaultMaxDepth"/>.
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth == 0 ? DefaultMaxDepth : _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxAllowedDepth);
            _maxDepth = value == DefaultMaxDepth ? 0 : value; // stored so that equal options compare equal
        }
    }

    /// <summary>
    /// Skip 00 and FF bytes before, between and after data objects (EMV Book 3 Annex B; ISO/IEC 7816-4).
    /// When false, such a byte is an <see cref="TlvError.InvalidTag"/> error.
    /// </summary>
    public bool AllowPadding
    {
        get => !_rejectPadding;
        init => _rejectPadding = !value;
    }
}
