using System.Runtime.InteropServices;

namespace Jinka.PcSc.Native;

/// <summary>An SCARDCONTEXT, released with SCardReleaseContext.</summary>
/// <remarks>pcsclite hands out context and card handles as small positive <c>long</c>s; 0 is never a valid one, so
/// it marks "invalid" here.</remarks>
internal sealed class PcScContextHandle : SafeHandle
{
    private readonly IPcScApi? _api;

    /// <summary>An invalid handle (required by the interop marshallers; not used directly).</summary>
    public PcScContextHandle()
        : base(0, ownsHandle: true)
    {
    }

    public PcScContextHandle(IPcScApi api, nint context)
        : base(0, ownsHandle: true)
    {
        _api = api;
        SetHandle(context);
    }

    public IPcScApi Api => _api ?? throw new ObjectDisposedException(nameof(PcScContextHandle));

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => _api is null || _api.ReleaseContext(handle) is PcScError.Success or PcScError.InvalidHandle;
}

/// <summary>
/// An SCARDHANDLE, released with SCardDisconnect and its <see cref="Disposition"/>. It keeps its context alive: a
/// context is only released after the last card handle opened in it.
/// </summary>
internal sealed class PcScCardHandle : SafeHandle
{
    private readonly PcScContextHandle? _context;

    /// <summary>An invalid handle (required by the interop marshallers; not used directly).</summary>
    public PcScCardHandle()
        : base(0, ownsHandle: true)
    {
    }

    public PcScCardHandle(PcScContextHandle context, nint card, PcScDisposition disposition)
        : base(0, ownsHandle: true)
    {
        bool added = false;
        context.DangerousAddRef(ref added);
        _context = context;
        Disposition = disposition;
        SetHandle(card);
    }

    /// <summary>What SCardDisconnect does to the card when this handle is released.</summary>
    public PcScDisposition Disposition { get; set; }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        if (_context is null)
        {
            return true;
        }

        try
        {
            // A card already removed or a daemon already gone leaves nothing to disconnect: that is not a failure.
            var result = _context.Api.Disconnect(handle, Disposition);
            return result is PcScError.Success or PcScError.InvalidHandle or PcScError.RemovedCard or PcScError.NoService
                or PcScError.ServiceStopped or PcScError.ReaderUnavailable or PcScError.CommunicationDataLost;
        }
        finally
        {
            _context.DangerousRelease();
        }
    }
}
