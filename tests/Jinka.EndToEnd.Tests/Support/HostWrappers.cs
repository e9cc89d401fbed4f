using Jinka.Core.Online;
using Jinka.Core.Tlv;

namespace Jinka.EndToEnd.Tests;

/// <summary>
/// An <see cref="IAuthorizationClient"/> between the kernel and the issuer that records what passes and can change the
/// issuer's answer on its way back (a man in the middle, or a broken acquirer), the way a test lab's host simulator does.
/// </summary>
internal sealed class HostTap(IAuthorizationClient issuer, Func<AuthorizationResponse, AuthorizationResponse>? alterResponse = null) : IAuthorizationClient
{
    public List<AuthorizationRequest> Requests { get; } = [];

    public List<AuthorizationResponse> Responses { get; } = [];

    public List<TransactionAdvice> Advices { get; } = [];

    public async ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        var response = await issuer.AuthorizeAsync(request, cancellationToken);
        response = alterResponse?.Invoke(response) ?? response;
        Responses.Add(response);
        return response;
    }

    public async ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default)
    {
        Advices.Add(advice);
        await issuer.AdviseAsync(advice, cancellationToken);
    }

    /// <summary>Flips one bit of the ARPC in 91 (the first byte of its value): the card must refuse it.</summary>
    public static AuthorizationResponse CorruptArpc(AuthorizationResponse response) =>
        response with { IccData = RewriteTopLevel(response.IccData, 0x91, value => value[0] ^= 0x01) };

    /// <summary>Flips one bit of the MAC (the last byte) of every script command 86 inside 71 and 72.</summary>
    public static AuthorizationResponse CorruptScriptMacs(AuthorizationResponse response)
    {
        var data = response.IccData.ToArray();
        foreach (var template in TlvNode.Parse(data).Where(n => n.Tag.Value is 0x71 or 0x72))
        {
            foreach (var command in template.Children.Where(c => c.Tag.Value == 0x86))
            {
                // The node's value is a slice of data: find it by offset and flip the last byte in place.
                int end = Offset(data, command.Value) + command.Value.Length;
                data[end - 1] ^= 0x01;
            }
        }

        return response with { IccData = data };
    }

    private static ReadOnlyMemory<byte> RewriteTopLevel(ReadOnlyMemory<byte> iccData, uint tag, Action<byte[]> change)
    {
        var data = iccData.ToArray();
        foreach (var node in TlvNode.Parse(data).Where(n => n.Tag.Value == tag))
        {
            var value = node.Value.ToArray();
            change(value);
            value.CopyTo(data.AsSpan(Offset(data, node.Value)));
        }

        return data;
    }

    private static int Offset(byte[] data, ReadOnlyMemory<byte> slice) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(slice, out var segment) && ReferenceEquals(segment.Array, data)
            ? segment.Offset
            : throw new InvalidOperationException("the TLV node is not a slice of the data it was parsed from");
}
