using System.Text.Json;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;

namespace Jinka.Host.Storage;

/// <summary>What <c>jinka host ledger</c> shows: every account, the internal accounts, the books check and the approved authorisations.</summary>
/// <param name="Store">Where it was read (no password).</param>
/// <param name="SchemaVersion">The store's schema version.</param>
/// <param name="Accounts">Customer accounts, by id.</param>
/// <param name="Books">The check that the books balance, with the internal accounts' balances.</param>
/// <param name="Authorizations">Authorisations that got an approval code, by reference.</param>
public sealed record LedgerReport(string Store, int SchemaVersion, IReadOnlyList<Account> Accounts, BooksCheck Books, IReadOnlyList<ApprovedAuthorization> Authorizations)
{
    /// <summary>Writes the report as one JSON object (amounts in minor units; PANs masked).</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("store", Store);
        writer.WriteNumber("schemaVersion", SchemaVersion);
        writer.WriteStartArray("accounts");
        foreach (var account in Accounts)
        {
            writer.WriteStartObject();
            writer.WriteString("id", account.Id);
            writer.WriteString("currency", account.Currency);
            writer.WriteNumber("balance", account.Balance);
            writer.WriteNumber("held", account.Held);
            writer.WriteNumber("available", account.Available);
            writer.WriteNumber("creditLimit", account.CreditLimit);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("books");
        Books.WriteJson(writer);
        writer.WriteStartArray("authorizations");
        foreach (var authorization in Authorizations)
        {
            writer.WriteStartObject();
            writer.WriteString("reference", authorization.Reference);
            writer.WriteString("card", authorization.Card.Masked);
            writer.WriteNumber("atc", authorization.Atc);
            writer.WriteString("terminal", authorization.TerminalId);
            writer.WriteNumber("stan", authorization.Stan);
            writer.WriteNumber("amount", authorization.Amount);
            writer.WriteString("currency", authorization.Currency);
            writer.WriteString("approvalCode", authorization.ApprovalCode);
            writer.WriteString("state", authorization.State.ToString());
            writer.WriteString("at", authorization.At);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

/// <summary>One approved authorisation as the ledger report lists it.</summary>
public sealed record ApprovedAuthorization(
    string Reference, CardId Card, ushort Atc, string TerminalId, int Stan, long Amount, string Currency, string ApprovalCode, AuthorizationState State, DateTimeOffset At);

/// <summary>A balance by account and currency (internal accounts such as "~holds/156").</summary>
public sealed record LedgerBalance(string AccountId, string Currency, long Amount);

/// <summary>
/// The proof that the books balance: every movement's postings sum to zero, so all postings of a currency do; every
/// customer account's balance and held amount equal the sums of its postings; its held amount equals its open holds.
/// </summary>
/// <param name="Movements">Movements checked.</param>
/// <param name="Postings">Postings checked.</param>
/// <param name="InternalAccounts">The internal accounts' balances (sums of their postings).</param>
/// <param name="Problems">Every discrepancy found, in words; empty when the books balance.</param>
public sealed record BooksCheck(long Movements, long Postings, IReadOnlyList<LedgerBalance> InternalAccounts, IReadOnlyList<string> Problems)
{
    public bool Balanced => Problems.Count == 0;

    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBoolean("balanced", Balanced);
        writer.WriteNumber("movements", Movements);
        writer.WriteNumber("postings", Postings);
        writer.WriteStartArray("internalAccounts");
        foreach (var balance in InternalAccounts)
        {
            writer.WriteStartObject();
            writer.WriteString("id", balance.AccountId);
            writer.WriteString("currency", balance.Currency);
            writer.WriteNumber("amount", balance.Amount);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("problems");
        foreach (string problem in Problems)
        {
            writer.WriteStringValue(problem);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
