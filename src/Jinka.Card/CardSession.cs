using Jinka.Card.Files;

namespace Jinka.Card;

/// <summary>
/// Everything the card holds in RAM for one power-on: which application and files are selected, the security
/// states reached, the last challenge, each application's volatile state and pending response bytes. A new session
/// starts at every power-on and reset, so none of this survives them; persistent state lives in NVM only.
/// </summary>
/// <remarks>The setters are the OS's; applications read the session and change it only through their
/// <see cref="Dispatch.CommandContext"/> (security states, challenge, their own volatile state).</remarks>
public sealed class CardSession
{
    private readonly Dictionary<Aid, Dictionary<Type, object>> _volatile = [];
    private readonly Dictionary<Type, object> _masterFileVolatile = [];

    /// <summary>The selected application, or null when the MF (the card itself) is selected.</summary>
    public Aid? SelectedApplication { get; internal set; }

    /// <summary>Current DF as a path in the selected owner's tree ("" = its root DF).</summary>
    public string CurrentDf { get; internal set; } = "";

    /// <summary>Current EF as a path in the selected owner's tree, or null.</summary>
    public string? CurrentEf { get; internal set; }

    /// <summary>Security states reached since the current application was selected.</summary>
    public SecurityStatus Security { get; internal set; }

    /// <summary>The last GET CHALLENGE random (empty when none or consumed).</summary>
    public ReadOnlyMemory<byte> Challenge { get; internal set; }

    /// <summary>Commands processed in this session.</summary>
    public int CommandCount { get; internal set; }

    /// <summary>Response bytes waiting for GET RESPONSE (T=0-like mode), and the status word that ends them.</summary>
    internal byte[]? PendingResponse { get; set; }

    internal Core.Apdu.StatusWord PendingStatus { get; set; }

    /// <summary>The volatile object of type <typeparamref name="T"/> of one application (the MF when null), created on first use.</summary>
    internal T Volatile<T>(Aid? owner)
        where T : class, new()
    {
        var bag = Bag(owner);
        if (!bag.TryGetValue(typeof(T), out var state))
        {
            state = new T();
            bag[typeof(T)] = state;
        }

        return (T)state;
    }

    /// <summary>Forgets an application's volatile state (it is selected afresh, or a command failed unexpectedly).</summary>
    internal void ClearVolatile(Aid? owner) => Bag(owner).Clear();

    /// <summary>Selects an owner: files back to its root, security states and challenge gone, its volatile state fresh.</summary>
    internal void Select(Aid? application)
    {
        SelectedApplication = application;
        CurrentDf = "";
        CurrentEf = null;
        Security = SecurityStatus.None;
        Challenge = default;
        ClearVolatile(application);
    }

    private Dictionary<Type, object> Bag(Aid? owner)
    {
        if (owner is null)
        {
            return _masterFileVolatile;
        }

        if (!_volatile.TryGetValue(owner, out var bag))
        {
            bag = [];
            _volatile[owner] = bag;
        }

        return bag;
    }
}
