using System.Globalization;

namespace Jinka.Card.Files;

/// <summary>
/// Security states an application has reached in this session (e.g. 1 = PIN verified, 2 = external
/// authentication passed). State numbers 1–31 mean what the application says; the OS only stores them and compares
/// them with access conditions. Cleared when another application (or the MF) is selected and at reset.
/// </summary>
public readonly record struct SecurityStatus(uint Bits)
{
    public static SecurityStatus None => default;

    public bool Has(int state) => state is >= 1 and <= 31 && (Bits & (1u << state)) != 0;

    public SecurityStatus With(int state)
    {
        AccessCondition.CheckState(state);
        return new SecurityStatus(Bits | (1u << state));
    }

    public SecurityStatus Without(int state)
    {
        AccessCondition.CheckState(state);
        return new SecurityStatus(Bits & ~(1u << state));
    }

    public override string ToString()
        => Bits == 0 ? "none" : string.Join(",", Enumerable.Range(1, 31).Where(Has).Select(s => s.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>
/// Who may perform an operation on a file, checked by the OS before READ/UPDATE/APPEND (6982 when not met). Coded in
/// one byte inside the FCP's proprietary security attributes (tag 86, Jinka's own layout): 00 always, FF never,
/// b8 = secure messaging required, b5–b1 = security state 1–31 required (0 = none); b7–b6 are zero.
/// </summary>
public readonly record struct AccessCondition
{
    private const byte SecureMessagingBit = 0x80;
    private const byte StateMask = 0x1F;

    private AccessCondition(byte value) => Value = value;

    public byte Value { get; }

    public static AccessCondition Always => new(0x00);

    public static AccessCondition Never => new(0xFF);

    /// <summary>The command must arrive under secure messaging that the application verified.</summary>
    public static AccessCondition SecureMessaging => new(SecureMessagingBit);

    /// <summary>Security state <paramref name="state"/> (1–31) must have been reached in this session.</summary>
    public static AccessCondition State(int state)
    {
        CheckState(state);
        return new((byte)state);
    }

    public bool IsNever => Value == 0xFF;

    public bool RequiresSecureMessaging => !IsNever && (Value & SecureMessagingBit) != 0;

    /// <summary>The required security state, 0 when none.</summary>
    public int RequiredState => IsNever ? 0 : Value & StateMask;

    /// <summary>This condition plus secure messaging.</summary>
    public AccessCondition AndSecureMessaging() => IsNever ? this : new((byte)(Value | SecureMessagingBit));

    public bool IsSatisfied(SecurityStatus status, bool secureMessagingVerified)
        => !IsNever
           && (!RequiresSecureMessaging || secureMessagingVerified)
           && (RequiredState == 0 || status.Has(RequiredState));

    public static bool TryDecode(byte value, out AccessCondition condition)
    {
        condition = new(value);
        return value == 0xFF || (value & 0x60) == 0;
    }

    public override string ToString() => this switch
    {
        { IsNever: true } => "never",
        { Value: 0 } => "always",
        { RequiredState: 0 } => "SM",
        { RequiresSecureMessaging: true } => string.Create(CultureInfo.InvariantCulture, $"state {RequiredState} + SM"),
        _ => string.Create(CultureInfo.InvariantCulture, $"state {RequiredState}"),
    };

    internal static void CheckState(int state)
    {
        if (state is < 1 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "a security state is 1–31");
        }
    }
}
