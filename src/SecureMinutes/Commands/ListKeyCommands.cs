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
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            await context.Out.WriteAsync(await context.Get<ListKeyRotation>().ExportAsync(parse.GetValue(name)!, parse.GetValue(all), cancellationToken));
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
        command.SetHandler(async (parse, context, cancellationToken) =>
        {
            var result = await context.Get<ListKeyRotation>().RotateAsync(parse.GetValue(name)!, Actor.Of(parse), cancellationToken);
            await context.Out.WriteLineAsync($"{result.List.Name} has a new key: {result.List.KeyFingerprint.Grouped}");
            await context.Out.WriteLineAsync($"Previous key {result.Previous.Grouped} is kept: mail it signed stays verifiable (list key export {result.List.Name} --all).");
            await context.Out.WriteLineAsync(result.PreviousWasRevoked
                ? "The previous key was revoked: the announcement is signed by the new key; members should check the new fingerprint with you out of band."
                : $"The new key is certified by the previous one; the announcement ({result.Announcement.Submission.Id}, {result.Announcement.Deliveries.Count} members) is signed by the previous key.");
            if (result.Resumed)
            {
                await context.Out.WriteLineAsync("Sending, paused by the revocation, is resumed.");
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
        command.SetHandler(async (parse, context, cancellationToken) =>
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
            var result = await context.Get<ListKeyRotation>().RevokeAsync(parse.GetValue(name)!, tag, text, Actor.Of(parse), parse.GetValue(upload), cancellationToken);
            await context.Out.WriteAsync(result.ArmoredRevokedKey);
            await context.Error.WriteLineAsync($"The key of {result.List.Name} is revoked; sending is paused until: secureminutes list key rotate {result.List.Name}");
            if (result.UploadFailure is { } failure)
            {
                await context.Error.WriteLineAsync($"warning: the revocation was not uploaded ({failure}); publish the key printed above yourself");
                return ExitCodes.NeedsAttention;
            }

            if (result.Uploaded)
            {
                await context.Error.WriteLineAsync("The revocation was uploaded to the keyserver.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>After turning on verified-only sending: who will be skipped until verified.</summary>
    public static async Task WarnUnverifiedAsync(CommandContext context, MailingList list, CancellationToken cancellationToken)
    {
        var unverified = (await context.Get<MemberStore>().ListAsync(list.Id, cancellationToken)).Where(m => !m.IsVerified).ToList();
        if (unverified.Count > 0)
        {
            await context.Error.WriteLineAsync($"note: {unverified.Count} member(s) are not verified and will be sent nothing until you run member verify: {string.Join(", ", unverified.Select(m => m.Email))}");
        }
    }
}
