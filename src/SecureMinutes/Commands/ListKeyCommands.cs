using System.CommandLine;
using Org.BouncyCastle.Bcpg;
using SecureMinutes.Cli;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Commands;

/// <summary><c>list key export|rotate|revoke</c>: the list's own key over its life.</summary>
public static class ListKeyCommands
{
    public static Command Export()
    {
        var name = new Argument<string>("LIST");
        var all = new Option<bool>("--all") { Description = "Also the list's earlier keys, which verify mail sent before a rotation" };
        var command = new Command("export", "Print the list's public key (armored)") { name, all };
        command.SetHandler(async (ParseResult parse, ListKeyRotation rotation, CliConsole console, CancellationToken cancellationToken) =>
        {
            await console.Out.WriteAsync(await rotation.ExportAsync(parse.GetValue(name)!, parse.GetValue(all), cancellationToken));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Rotate()
    {
        var name = new Argument<string>("LIST");
        var command = new Command("rotate", "Give the list a new key (Ed25519 + Cv25519) certified by the current one, and announce it to every member in a mail signed by the current key")
        {
            name,
        };
        command.SetHandler(async (ParseResult parse, ListKeyRotation rotation, CliConsole console, CancellationToken cancellationToken) =>
        {
            var result = await rotation.RotateAsync(parse.GetValue(name)!, Actor.Of(parse), cancellationToken);
            await console.Out.WriteLineAsync($"{result.List.Name} has a new key: {result.List.KeyFingerprint.Grouped}");
            await console.Out.WriteLineAsync($"Previous key {result.Previous.Grouped} is kept: mail it signed stays verifiable (list key export {result.List.Name} --all).");
            await console.Out.WriteLineAsync(result.PreviousWasRevoked
                ? "The previous key was revoked: the announcement is signed by the new key; members should check the new fingerprint with you out of band."
                : $"The new key is certified by the previous one; the announcement ({result.Announcement.Submission.Id}, {result.Announcement.Deliveries.Count} members) is signed by the previous key.");
            if (result.Resumed)
            {
                await console.Out.WriteLineAsync("Sending, paused by the revocation, is resumed.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Revoke()
    {
        var name = new Argument<string>("LIST");
        var reason = new Option<string>("--reason") { Description = "compromised (default), superseded or retired", DefaultValueFactory = _ => "compromised" };
        var comment = new Option<string?>("--comment") { Description = "A short explanation carried in the revocation" };
        var upload = new Option<bool>("--upload") { Description = "Also publish the revocation on the keyserver (keys.openpgp.org by default), through the list's SOCKS5 proxy" };
        var yes = new Option<bool>("--yes") { Description = "Confirm: a revocation cannot be undone, and the list sends nothing until rotated" };
        var command = new Command("revoke", "Revoke the list's key (printed for publishing); sending stops until list key rotate") { name, reason, comment, upload, yes };
        command.SetHandler(async (ParseResult parse, ListKeyRotation rotation, CliConsole console, CancellationToken cancellationToken) =>
        {
            var tag = parse.GetValue(reason)!.Trim().ToLowerInvariant() switch
            {
                "compromised" => RevocationReasonTag.KeyCompromised,
                "superseded" => RevocationReasonTag.KeySuperseded,
                "retired" => RevocationReasonTag.KeyRetired,
                var other => throw new UserFacingException($"--reason must be compromised, superseded or retired (not '{other}')"),
            };
            if (!parse.GetValue(yes))
            {
                throw new UserFacingException($"revoking the key of {parse.GetValue(name)} cannot be undone and stops its sending until you run list key rotate: add --yes to confirm");
            }

            var text = parse.GetValue(comment)?.Trim() is { Length: > 0 } given ? given : "list key revoked by its admins";
            var result = await rotation.RevokeAsync(parse.GetValue(name)!, tag, text, Actor.Of(parse), parse.GetValue(upload), cancellationToken);
            await console.Out.WriteAsync(result.ArmoredRevokedKey);
            await console.Error.WriteLineAsync($"The key of {result.List.Name} is revoked; sending is paused until: secureminutes list key rotate {result.List.Name}");
            if (result.UploadFailure is { } failure)
            {
                await console.Error.WriteLineAsync($"warning: the revocation was not uploaded ({failure}); publish the key printed above yourself");
                return ExitCodes.NeedsAttention;
            }

            if (result.Uploaded)
            {
                await console.Error.WriteLineAsync("The revocation was uploaded to the keyserver.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>After turning on verified-only sending: who will be skipped until verified.</summary>
    public static async Task WarnUnverifiedAsync(MemberStore members, CliConsole console, MailingList list, CancellationToken cancellationToken)
    {
        var unverified = (await members.ListAsync(list.Id, cancellationToken)).Where(m => !m.IsVerified).ToList();
        if (unverified.Count > 0)
        {
            await console.Error.WriteLineAsync($"note: {unverified.Count} member(s) are not verified and will be sent nothing until you run member verify: {string.Join(", ", unverified.Select(m => m.Email))}");
        }
    }
}
