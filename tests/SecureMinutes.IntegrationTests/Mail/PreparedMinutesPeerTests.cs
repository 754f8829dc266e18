using System.Text;
using MimeKit;
using MimeKit.Utils;
using Org.BouncyCastle.Bcpg.OpenPgp;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;

namespace SecureMinutes.IntegrationTests.Mail;

/// <summary>
/// Mail from the batch path (<see cref="PreparedMinutes"/>: one preparation, then one message per member) opened
/// by independent readers: gpg, RNP and Sequoia (pgp-mime-check.py) and BouncyCastle for Java (bc-check.sh,
/// K-9/OpenKeychain's engine), for members with RSA-3072, RSA-4096 and Cv25519 keys from the same batch.
/// </summary>
public sealed class PreparedMinutesPeerTests
{
    private const string Subject = "Compte-rendu de l'AG — préparé une fois";

    [Fact]
    public async Task OneBatch_MailsRsa3072Rsa4096AndCv25519Members_EachOpenedAndVerifiedByEveryPeer()
    {
        using var work = new TempDir();
        var token = "lot-" + Guid.NewGuid().ToString("N");
        // Markdown with an HTML part, a line starting with "From " and non-ASCII text: what canonicalisation touches.
        var text = $"# Assemblée générale\n\n{token}\n\nFrom the chair: quorum atteint ✊\n\n* point 1\n* point 2   \n";
        var payload = MinutesPayload.FromDocument(new MinutesDocument(Subject, text) { Format = MinutesFormat.Markdown });
        var (list, secret) = ListFromFixture();
        var listKeyPath = work.Combine("list.pub.asc");
        await File.WriteAllTextAsync(listKeyPath, Armor.PublicKey(list.PublicKey));
        using var context = new ListPgpContext(TimeProvider.System, secret);
        var prepared = new MinutesMessageFactory(TimeProvider.System).Prepare(context, list, payload, MimeUtils.GenerateMessageId(list.Domain));

        var members = new[] { "rsa3072", "rsa4096", "ed25519" };
        var mails = new Dictionary<string, string>();
        foreach (var member in members)
        {
            var ring = ReadPublic(RepoPaths.FixtureKey(member + ".pub.asc"));
            var address = UserIdAddress.Of(Encoding.UTF8.GetString(ring.GetPublicKey().GetRawUserIds().First()))!;
            var message = prepared.CreateFor(new MailboxAddress(null, address), KeyAssessor.Assess(ring, DateTimeOffset.UtcNow).EncryptionKeys);
            mails[member] = work.Combine(member + ".eml");
            await using var file = File.Create(mails[member]);
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            await message.WriteToAsync(format, file);
        }

        foreach (var member in members)
        {
            await PeerChecker.AssertPassesAsync(mails[member], RepoPaths.FixtureKey(member + ".sec.asc"), RepoPaths.FixtureKey(member + ".pub.asc"),
                listKeyPath, token, Subject);
            var bc = await ProcessRunner.RunAsync(Path.Combine(RepoPaths.Tools, "pgp", "bcjava", "bc-check.sh"),
            [
                mails[member], "--secret", RepoPaths.FixtureKey(member + ".sec.asc"), "--signer", listKeyPath,
                "--expect-text", token, "--expect-subject", Subject,
            ], timeout: TimeSpan.FromMinutes(2));
            Assert.True(bc.ExitCode == 0, $"bc-check failed for {member}:\n{bc.Stdout}\n{bc.Stderr}");
            Assert.Contains("VERDICT: PASS", bc.Stdout, StringComparison.Ordinal);
        }
    }

    private static (MailingList List, PgpSecretKeyRing Secret) ListFromFixture()
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(RepoPaths.DemoKey("list.sec.asc")));
        var secret = new PgpSecretKeyRingBundle(stream).GetKeyRings().Single();
        var publicRing = ListKeyGenerator.PublicRing(secret);
        var address = UserIdAddress.Of(Encoding.UTF8.GetString(publicRing.GetPublicKey().GetRawUserIds().First()))!;
        return (new MailingList(1, "ag", address, "AG démo", Fingerprint.Of(publicRing.GetPublicKey()), publicRing.GetEncoded(), DateTimeOffset.UtcNow), secret);
    }

    private static PgpPublicKeyRing ReadPublic(string path)
    {
        using var stream = PgpUtilities.GetDecoderStream(File.OpenRead(path));
        return new PgpPublicKeyRingBundle(stream).GetKeyRings().Single();
    }
}
