using System.CommandLine;
using System.Text.Json;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.Cli;
using SecureMinutes.Distribution;
using SecureMinutes.Jobs;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Storage;

namespace SecureMinutes.Commands;

/// <summary>
/// The first thing a newcomer runs: creates the demo list from <c>seeds/demo-list.json</c> and the
/// demo keys, sends the sample minutes to a local outbox folder, and explains how to decrypt one.
/// </summary>
public static class DemoCommand
{
    public static Command Build()
    {
        var seeds = new Option<FileInfo?>("--seeds") { Description = "The demo definition (default: seeds/demo-list.json in the repository)" };
        var outbox = new Option<DirectoryInfo?>("--outbox") { Description = "Where to write the encrypted mails (default: DATA_DIR/outbox)" };
        var command = new Command("demo", "Create the demo list and send the sample French AG minutes to a local outbox folder") { seeds, outbox };
        command.SetHandler(async (ParseResult parse, ListService listService, Membership membership, ProviderSetup setup, DistributionService distribution,
            SubmissionWaiter waiter, SecureMinutesOptions options, CliConsole console, CancellationToken cancellationToken) =>
        {
            var seedFile = parse.GetValue(seeds)?.FullName ?? FindSeeds();
            var root = Path.GetDirectoryName(Path.GetDirectoryName(seedFile))!;
            // --seeds names a file like any other: read through LocalFile (regular files only, bounded).
            var demo = JsonSerializer.Deserialize<DemoSeed>(LocalFile.Read(seedFile, 1024 * 1024, "a demo definition"), SeedJson)
                ?? throw new UserFacingException($"{seedFile} is empty");
            var outboxDir = parse.GetValue(outbox)?.FullName ?? Path.Combine(options.DataDirectory, "outbox");

            var list = await listService.FindAsync(demo.Name, cancellationToken);
            if (list is null)
            {
                var secretKey = new PgpSecretKeyRing(PgpUtilities.GetDecoderStream(new MemoryStream(KeyFileReader.ReadBytes(Path.Combine(root, demo.ListKey)))));
                list = await listService.ImportAsync(demo.Name, demo.Address, demo.DisplayName, secretKey, cancellationToken);
                await console.Out.WriteLineAsync($"Created the demo list {list.Name} <{list.Address}> with the demo key {list.KeyFingerprint.Grouped}");
            }

            await setup.SetOutboxAsync(list.Name, outboxDir, cancellationToken);
            var existing = (await membership.ListAsync(list.Name, cancellationToken)).Select(m => m.Member.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var member in demo.Members.Where(m => !existing.Contains(m.Email)))
            {
                var added = await membership.AddAsync(list.Name, member.Email, KeyFileReader.ReadBytes(Path.Combine(root, member.Key)),
                    member.Key, new MemberOptions(IsAdmin: member.Admin), cancellationToken);
                await console.Out.WriteLineAsync($"Added member {added.Member.Email} ({added.Key.Fingerprint.Grouped})");
            }

            var text = MinutesFile.ReadText(Path.Combine(root, demo.Minutes));
            var submitted = await distribution.SubmitAsync(list.Name, new MinutesDocument(demo.Subject, text) { Format = MinutesFormats.ForFile(demo.Minutes) }, cancellationToken: cancellationToken);
            var outcome = await ProgressView.RunAsync(console, "Sending the demo minutes", quiet: false,
                progress => waiter.WaitAsync(submitted.Submission.Id, progress, cancellationToken));
            var status = outcome.Status;
            await console.Out.WriteLineAsync($"Submission {submitted.Submission.Id}: {StatusPrinter.Summary(status)}");
            await console.Out.WriteLineAsync($"The encrypted mails are in {outboxDir}. To read Camille's copy with GnuPG:");
            await console.Out.WriteLineAsync("  export GNUPGHOME=$(mktemp -d)");
            await console.Out.WriteLineAsync($"  gpg --import {Path.Combine(root, "keys-example", "camille.sec.asc")} {Path.Combine(root, "keys-example", "list.pub.asc")}");
            await console.Out.WriteLineAsync($"  gpg --decrypt \"$(ls {outboxDir}/*camille* | tail -n 1)\"");
            return status.Count(DeliveryState.Delivered) == status.Deliveries.Count ? ExitCodes.Success : ExitCodes.NotAllDelivered;
        });
        return command;
    }

    private static readonly JsonSerializerOptions SeedJson = new() { PropertyNameCaseInsensitive = true };

    private static string FindSeeds()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "seeds", "demo-list.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new UserFacingException("seeds/demo-list.json not found: run the demo from the repository, or pass --seeds FILE");
    }

    private sealed record DemoSeed(string Name, string Address, string DisplayName, string ListKey, IReadOnlyList<DemoMember> Members, string Minutes, string Subject);

    private sealed record DemoMember(string Email, string Key, bool Admin);
}
