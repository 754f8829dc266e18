using System.Globalization;
using SecureMinutes.Keyring;
using SecureMinutes.Keys;

namespace SecureMinutes.Cli;

/// <summary>The <c>keys check</c> table, or its JSON.</summary>
public static class KeyHealthPrinter
{
    public static async Task PrintAsync(CliConsole console, KeyringHealth health, bool json)
    {
        var listKey = health.ListKey.Status.CanReceive() ? health.ListKey.Status.ToText() : $"{health.ListKey.Status.ToText()}: {TerminalText.Escape(health.ListKey.Problem)}";
        if (json)
        {
            await Json.WriteAsync(console.Out, new
            {
                list = health.List.Name,
                listKey = new { fingerprint = health.List.KeyFingerprint.Hex, status = health.ListKey.Status.ToText(), revoked = health.List.KeyRevokedAt is not null },
                requireVerified = health.List.RequireVerified,
                allCanReceive = health.AllCanReceive,
                counts = new
                {
                    usable = health.Count(KeyringHealth.Usable),
                    expiring = health.Count(KeyringHealth.Expiring),
                    expired = health.Count(KeyringHealth.Expired),
                    revoked = health.Count(KeyringHealth.Revoked),
                    missing = health.Count(KeyringHealth.Missing),
                    unverified = health.Unverified,
                },
                members = health.Members.Select(m => new
                {
                    email = m.Member.Email,
                    fingerprint = m.Member.Fingerprint.Hex,
                    state = m.State,
                    daysLeft = m.DaysLeft,
                    expires = m.Key.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    verified = m.Member.IsVerified,
                    canReceive = m.CanReceive,
                    problem = m.Problem,
                }),
            });
            return;
        }

        await console.WriteBlockAsync(output => PrintTableAsync(output, health, listKey));
    }

    private static async Task PrintTableAsync(TextWriter output, KeyringHealth health, string listKey)
    {
        await output.WriteLineAsync($"List {health.List.Name}: key {health.List.KeyFingerprint.Hex} {listKey}{(health.List.RequireVerified ? "; requires verified member keys" : "")}");
        var width = Math.Max(5, health.Members.Select(m => m.Member.Email.Length).DefaultIfEmpty(5).Max());
        await output.WriteLineAsync($"{"EMAIL".PadRight(width)}  {"STATE",-20}  {"VERIFIED",-8}  {"FINGERPRINT",-40}  PROBLEM");
        foreach (var m in health.Members)
        {
            var state = m.State == KeyringHealth.Expiring ? string.Create(CultureInfo.InvariantCulture, $"expiring in {m.DaysLeft} d") : m.State;
            await output.WriteLineAsync($"{m.Member.Email.PadRight(width)}  {state,-20}  {(m.Member.IsVerified ? "yes" : "no"),-8}  {m.Member.Fingerprint.Hex,-40}  {TerminalText.Escape(m.Problem) ?? ""}".TrimEnd());
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{health.Count(KeyringHealth.Usable)} usable, {health.Count(KeyringHealth.Expiring)} expiring, {health.Count(KeyringHealth.Expired)} expired, {health.Count(KeyringHealth.Revoked)} revoked, {health.Count(KeyringHealth.Missing)} missing, {health.Unverified} unverified; ")
            + (health.AllCanReceive ? "every member can receive mail." : $"{health.Members.Count(m => !m.CanReceive)} member(s) cannot receive mail."));
    }
}
