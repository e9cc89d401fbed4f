using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;

namespace Jinka.Card.Applications;

/// <summary>
/// An application that accepts EMV CPS data grouping identifiers (DGIs). Its security domain receives STORE DATA,
/// unwraps the secure channel, decrypts encrypted DGIs, and hands each plain DGI here through
/// <see cref="CardManager.StoreDgi"/>, inside the STORE DATA command's transaction (docs/spec-choices.md D1–D13).
/// </summary>
public interface IPersonalizable
{
    /// <summary>
    /// Stores one DGI. <paramref name="isLastBlock"/> is true only for the final DGI of the STORE DATA block marked last
    /// (P1 b8): the application then checks it has everything it needs and moves itself to PERSONALIZED, or answers an
    /// error.
    /// </summary>
    /// <returns>9000, or the status word to answer (e.g. 6A80 for a DGI it cannot use, 6985 when already personalised).</returns>
    StatusWord StoreDgi(ApplicationContext context, ushort dgi, ReadOnlySpan<byte> value, bool isLastBlock);
}
