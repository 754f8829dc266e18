using MimeKit;
using SecureMinutes.Distribution;
using SecureMinutes.IntegrationTests.Support;
using SecureMinutes.Jobs;
using SecureMinutes.Keyring;
using SecureMinutes.Lists;
using SecureMinutes.MailIn;
using SecureMinutes.Mail;
using SecureMinutes.Minutes;
using SecureMinutes.Notices;
using SecureMinutes.SelfService;
using SecureMinutes.Storage;

namespace SecureMinutes.IntegrationTests.Clients;

/// <summary>One mail as a member receives it, and what that member's client must show.</summary>
/// <param name="Signer">The list key the member has accepted: for the rotation announcement the PREVIOUS key, which signs it.</param>
/// <param name="AllowedNotification">A Thunderbird bar this mail is meant to show (the announcement's "new key" bar), or null.</param>
public sealed record MailKind(string Name, string Path, string SecretKey, string PublicKey, string Signer, string ExpectText, string ExpectSubject,
    IReadOnlyList<string> Attachments, string? AllowedNotification = null)
{
    /// <summary>
    /// Text in the mail's own text part, for bc-check, whose small MIME parser does not open the message/rfc822
    /// parts of a digest (its README says so); the others look for <see cref="ExpectText"/> inside them.
    /// </summary>
    public string TopLevelText { get; init; } = ExpectText;

    /// <summary>More text Thunderbird must show: the member's footer with their personal link (issue 11).</summary>
    public IReadOnlyList<string> ShownToo { get; init; } = [];

    /// <summary>
    /// The keyless notice (issue 11): signed by the list and NOT encrypted. Thunderbird opens <see cref="Path"/> itself; bc-check
    /// and the peer checker open only encrypted mail, so they are given <see cref="WrappedPath"/>: the notice's signed body,
    /// byte for byte, encrypted by the test (gpg) to <see cref="PublicKey"/>, which they decrypt and then verify as any copy.
    /// </summary>
    public bool Unencrypted { get; init; }

    /// <summary>For an <see cref="Unencrypted"/> mail: the copy the engines that open only encrypted mail are given.</summary>
    public string? WrappedPath { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// Every kind of mail SecureMinutes writes, made once for the client tests (Thunderbird costs 10-18 s a mail):
/// text minutes, Markdown minutes with HTML and attachments, a digest, an admin notice, an expiry warning, a
/// mail-in refusal answer, a join challenge, and the list-key rotation announcement (made last: later mails would be signed by
/// the new key). The real services run in process and write to an outbox folder; each step's new files are
/// that step's mails. A new kind of mail gets a line in <see cref="Names"/> and a step here.
/// </summary>
public sealed class MailKinds : IAsyncLifetime, IDisposable
{
    public static readonly string[] Names =
        ["text-minutes", "markdown-minutes", "digest", "admin-notice", "expiry-warning", "mail-in-refusal", "join-challenge", "keyless-notice",
         "key-rotation-announcement"];

    private const string ListName = "ag";
    private const string Reader = "ed25519@example.org";
    private const string DigestReader = "rsa3072@example.org";
    private const string Expiring = "camille@members.example.test";
    private const string Joiner = "sacha@members.example.test";
    private const string Keyless = "eli@members.example.test";
    private readonly TempDir _work = new("sm-clients-");
    private readonly Dictionary<string, MailKind> _kinds = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public MailKind this[string name] => _kinds[name];

    public string Work => _work.Path;

    public async Task InitializeAsync()
    {
        var outbox = _work.Combine("outbox");
        Directory.CreateDirectory(outbox);
        using var gpg = new Gpg();
        var camille = await ExpiringKeyAsync(gpg, "Camille <camille@members.example.test>");
        // A public address: the join challenge's confirmation link is built from it.
        await using var services = new InProcess(_work.Combine("data"),
            environment: new Dictionary<string, string?> { [SecureMinutesOptions.PublicUrlVariable] = "https://minutes.example.test" });
        var list = await services.Get<ListService>().CreateAsync(ListName, "ag@lists.example.test", "AG du collectif");
        var firstListKey = _work.Combine("list-first.pub.asc");
        await File.WriteAllTextAsync(firstListKey, ListService.ArmoredPublicKey(list));
        var membership = services.Get<Membership>();
        await membership.AddAsync(ListName, Reader, await File.ReadAllBytesAsync(RepoPaths.FixtureKey("ed25519.pub.asc")), "ed25519.pub.asc",
            new MemberOptions(AllowUserIdMismatch: true, IsAdmin: true));
        await membership.AddAsync(ListName, DigestReader, await File.ReadAllBytesAsync(RepoPaths.FixtureKey("rsa3072.pub.asc")), "rsa3072.pub.asc",
            new MemberOptions(AllowUserIdMismatch: true));
        await membership.SetFlagsAsync(ListName, DigestReader, isAdmin: null, wantsDigest: true);
        await membership.AddAsync(ListName, Expiring, await File.ReadAllBytesAsync(camille.PublicKey), "camille.asc", new MemberOptions());
        await services.Get<ProviderSetup>().SetOutboxAsync(ListName, outbox);
        var (readerSecret, readerPublic) = (RepoPaths.FixtureKey("ed25519.sec.asc"), RepoPaths.FixtureKey("ed25519.pub.asc"));

        var distribution = services.Get<DistributionService>();
        var token = "texte-" + Guid.NewGuid().ToString("N")[..8];
        await distribution.SubmitAsync(ListName, new MinutesDocument("CR de l'AG (texte)", $"Compte-rendu en texte {token}\nDécision : on continue ✊\n"));
        await DeliverAsync(services, list);
        // Every copy to a member ends with their personal link, signed with the minutes (issue 11).
        Add(outbox, Reader, new MailKind("text-minutes", "", readerSecret, readerPublic, firstListKey, token, "CR de l'AG (texte)", [])
        {
            ShownToo = ["https://minutes.example.test/member/"],
        });

        var agenda = _work.Combine("ordre-du-jour.pdf");
        await File.WriteAllBytesAsync(agenda, [.. "%PDF-1.4\n"u8, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(3000)]);
        var votes = _work.Combine("votes.csv");
        await File.WriteAllTextAsync(votes, "motion;pour;contre\nbudget;71;4\n");
        var markdown = new MinutesDocument("Compte-rendu de l'AG du 21 novembre", "# Compte-rendu\n\n**Décision** : le budget est *voté*.\n\n- point 1\n- point 2\n")
        {
            Format = MinutesFormat.Markdown,
            Attachments = [new MinutesAttachment("ordre-du-jour.pdf", "application/pdf", await File.ReadAllBytesAsync(agenda)),
                new MinutesAttachment("votes.csv", "text/csv", await File.ReadAllBytesAsync(votes))],
        };
        await distribution.SubmitAsync(ListName, markdown);
        await DeliverAsync(services, list);
        Add(outbox, Reader, new MailKind("markdown-minutes", "", readerSecret, readerPublic, firstListKey, "le budget est", markdown.Subject, [agenda, votes]));

        await services.Get<DigestJob>().RunAsync(list.Id, default);
        await DeliverAsync(services, list);
        Add(outbox, DigestReader, new MailKind("digest", "", RepoPaths.FixtureKey("rsa3072.sec.asc"), RepoPaths.FixtureKey("rsa3072.pub.asc"), firstListKey,
            token, "Résumé de AG du collectif — 2 compte(s)-rendu(s)", []) { TopLevelText = "Résumé de la liste AG du collectif : 2 compte(s)-rendu(s)" });

        await services.Get<AdminNotices>().SendAsync(list, AdminNoticeText.Paused(list, "the provider refused the login (535 5.7.8)"), default);
        await DeliverAsync(services, list);
        // Admin notices speak the list's language (issue 10; French by default), subject included.
        Add(outbox, Reader, new MailKind("admin-notice", "", readerSecret, readerPublic, firstListKey, "535 5.7.8", $"[{ListName}] envois suspendus", []));

        var lifecycle = await services.Get<KeyLifecycle>().RunAsync(list, default);
        await DeliverAsync(services, list);
        var days = Assert.Single(lifecycle.Warned).DaysLeft;
        Add(outbox, Expiring, new MailKind("expiry-warning", "", camille.SecretKey, camille.PublicKey, firstListKey, "Thunderbird",
            $"Votre clé expire dans {days} jour(s)", []));

        // A plaintext mail from a member, judged by the real reader and answered as MailInProcessor answers it.
        var plain = new MimeMessage([new MailboxAddress(null, Reader)], [new MailboxAddress(null, list.Address)], "CR en clair", new TextPart("plain") { Text = "en clair" });
        var members = await services.Get<MemberStore>().ListAsync(list.Id);
        var verdict = services.Get<MailInReader>().Read(plain, list, await services.Get<ListService>().OpenSecretKeyAsync(list), members);
        Assert.False(verdict.Accepted);
        await distribution.SendAsync(new NewSubmission(list, SubmissionKind.Notice, MinutesPayload.FromDocument(MailInNoticeText.Refused(list, verdict.Reason)),
            [verdict.ReplyTo!]));
        await DeliverAsync(services, list);
        Add(outbox, Reader, new MailKind("mail-in-refusal", "", readerSecret, readerPublic, firstListKey, "n'a PAS été distribué",
            $"[{ListName}] message non distribué", []));

        // Someone joining from an invite: the challenge goes to a key that is not yet a member's (issue 11).
        var invite = await services.Get<SecureMinutes.Joining.JoinInvites>().CreateAsync(ListName, TimeSpan.FromDays(2), 10, needsApproval: false, "test");
        var inviteToken = invite.Link.AbsolutePath.Split('/')[^1];
        await services.Get<SecureMinutes.Joining.JoinRequests>().RequestAsync(inviteToken, Joiner, await File.ReadAllBytesAsync(RepoPaths.DemoKey("sacha.pub.asc")),
            "sacha.pub.asc", language: null);
        await DeliverAsync(services, list);
        Add(outbox, Joiner, new MailKind("join-challenge", "", RepoPaths.DemoKey("sacha.sec.asc"), RepoPaths.DemoKey("sacha.pub.asc"), firstListKey,
            "https://minutes.example.test/join/confirm/", "Confirmez votre inscription à AG du collectif", []));

        // A member whose key was revoked: their copy of the next minutes is skipped, and they get the keyless notice (issue 11),
        // signed by the list and not encrypted, with their personal link.
        var eli = await RevokedKeyAsync(gpg, $"Eli <{Keyless}>");
        await membership.AddAsync(ListName, Keyless, await File.ReadAllBytesAsync(eli.PublicKey), "eli.asc", new MemberOptions());
        await membership.AddAsync(ListName, Keyless, eli.Revocation, "eli.rev", new MemberOptions());
        var missed = await distribution.SubmitAsync(ListName, new MinutesDocument("CR de l'AG (clé révoquée)", $"Compte-rendu manqué {token}\n"));
        await DeliverAsync(services, list);
        await services.Get<SubmissionCompletion>().CompleteIfDoneAsync(await services.Get<SubmissionStore>().GetAsync(missed.Submission.Id), default);
        await services.Get<KeylessNoticeJob>().RunAsync(missed.Submission.Id, default);
        await DeliverAsync(services, list); // the admins' notice of the skipped copy
        Add(outbox, Keyless, new MailKind("keyless-notice", "", readerSecret, readerPublic, firstListKey, "https://minutes.example.test/member/",
            "[AG du collectif] compte-rendu manqué : votre clé est à mettre à jour", []) { Unencrypted = true, ShownToo = ["n'est pas chiffré"] });
        _kinds["keyless-notice"] = _kinds["keyless-notice"] with { WrappedPath = await WrapForCheckersAsync(gpg, _kinds["keyless-notice"].Path, readerPublic) };

        await services.Get<ListKeyRotation>().RotateAsync(ListName, "test", default);
        await DeliverAsync(services, list);
        var rotated = await services.Get<ListStore>().GetAsync(list.Id);
        var newKey = _work.Combine($"OpenPGP_0x{rotated.KeyFingerprint.Hex[^16..]}.asc");
        await File.WriteAllTextAsync(newKey, await services.Get<ListKeyRotation>().ExportAsync(ListName, includeRetired: false, default));
        Add(outbox, Reader, new MailKind("key-rotation-announcement", "", readerSecret, readerPublic, firstListKey, rotated.KeyFingerprint.Grouped,
            "Nouvelle clé de la liste AG du collectif", [newKey], "hasConflictingKeyOpenPGP"));
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _work.Dispose();

    /// <summary>Sends every queued copy now (no background server runs here).</summary>
    private static async Task DeliverAsync(InProcess services, MailingList list)
    {
        foreach (var id in await services.Get<SubmissionStore>().UnfinishedDueIdsAsync(list.Id, DateTimeOffset.UtcNow.AddMinutes(1)))
        {
            var submission = await services.Get<SubmissionStore>().GetAsync(id);
            await services.Get<DeliveryRunner>().RunAsync(submission, await services.Get<ListStore>().GetAsync(submission.ListId));
        }
    }

    /// <summary>Records the one new mail to <paramref name="recipient"/> since the last step (its other new mails belong to no kind checked here).</summary>
    private void Add(string outbox, string recipient, MailKind kind)
    {
        var fresh = Directory.GetFiles(outbox, "*.eml").Where(f => _seen.Add(f)).ToList();
        var mine = fresh.Where(f => MimeMessage.Load(f).To.Mailboxes.Single().Address == recipient).ToList();
        Assert.True(mine.Count == 1, $"{kind.Name}: expected one new mail to {recipient}, found {mine.Count} among {fresh.Count}");
        _kinds[kind.Name] = kind with { Path = mine[0] };
    }

    /// <summary>A new key for <paramref name="userId"/> (GnuPG) and its revocation (Sequoia's <c>sq revoke certificate</c>).</summary>
    private async Task<(string PublicKey, byte[] Revocation)> RevokedKeyAsync(Gpg gpg, string userId)
    {
        Assert.Equal(0, (await gpg.RunAsync("--quick-gen-key", userId, "future-default", "default", "1y")).ExitCode);
        var (publicPath, secretPath) = (_work.Combine("eli.pub.asc"), _work.Combine("eli.sec.asc"));
        await File.WriteAllTextAsync(publicPath, (await gpg.RunAsync("--armor", "--export", userId)).Stdout);
        await File.WriteAllTextAsync(secretPath, (await gpg.RunAsync("--armor", "--export-secret-keys", userId)).Stdout);
        var revocation = await ProcessRunner.RunAsync("sq", ["revoke", "certificate", "--certificate", secretPath, "compromised", "lost"]);
        Assert.True(revocation.ExitCode == 0, revocation.Stderr);
        return (publicPath, System.Text.Encoding.ASCII.GetBytes(revocation.Stdout));
    }

    /// <summary>
    /// The notice's signed body (multipart/signed, exactly as sent) encrypted by gpg to <paramref name="publicKey"/> as an RFC 3156
    /// multipart/encrypted mail: what bc-check and the peer checker, which open only encrypted mail, can verify the signature in.
    /// </summary>
    private async Task<string> WrapForCheckersAsync(Gpg gpg, string noticePath, string publicKey)
    {
        var notice = await MimeMessage.LoadAsync(noticePath);
        Assert.IsType<MimeKit.Cryptography.MultipartSigned>(notice.Body);
        var canonical = FormatOptions.Default.Clone();
        canonical.NewLineFormat = NewLineFormat.Dos;
        var (entity, armored) = (_work.Combine("keyless-entity.mime"), _work.Combine("keyless-entity.asc"));
        await using (var stream = File.Create(entity))
        {
            await notice.Body!.WriteToAsync(canonical, stream);
        }

        var encrypted = await gpg.RunAsync("--trust-model", "always", "--armor", "--output", armored, "--recipient-file", publicKey, "--encrypt", entity);
        Assert.True(encrypted.ExitCode == 0, encrypted.Stderr);
        var body = new MimeKit.Cryptography.MultipartEncrypted();
        body.ContentType.Parameters["protocol"] = "application/pgp-encrypted";
        body.Add(new MimeKit.Cryptography.ApplicationPgpEncrypted { ContentTransferEncoding = ContentEncoding.SevenBit });
        body.Add(new MimePart("application", "octet-stream")
        {
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "encrypted.asc" },
            ContentTransferEncoding = ContentEncoding.SevenBit,
            Content = new MimeContent(new MemoryStream(await File.ReadAllBytesAsync(armored)), ContentEncoding.SevenBit),
        });
        var wrapped = new MimeMessage { Date = notice.Date, Subject = "[...]", Body = body };
        wrapped.MessageId = notice.MessageId ?? throw new InvalidOperationException("the notice has no Message-ID");
        wrapped.From.AddRange(notice.From);
        wrapped.To.AddRange(notice.To);
        var path = _work.Combine("keyless-notice-wrapped.eml");
        await using (var stream = File.Create(path))
        {
            await wrapped.WriteToAsync(canonical, stream);
        }

        return path;
    }

    private async Task<(string PublicKey, string SecretKey)> ExpiringKeyAsync(Gpg gpg, string userId)
    {
        Assert.Equal(0, (await gpg.RunAsync("--quick-gen-key", userId, "future-default", "sign,cert", "20d")).ExitCode);
        var fingerprint = (await gpg.RunAsync("--with-colons", "--list-keys", userId)).Stdout.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
        Assert.Equal(0, (await gpg.RunAsync("--quick-add-key", fingerprint, "future-default", "encr", "20d")).ExitCode);
        var (publicPath, secretPath) = (_work.Combine("camille.pub.asc"), _work.Combine("camille.sec.asc"));
        await File.WriteAllTextAsync(publicPath, (await gpg.RunAsync("--armor", "--export", fingerprint)).Stdout);
        await File.WriteAllTextAsync(secretPath, (await gpg.RunAsync("--armor", "--export-secret-keys", fingerprint)).Stdout);
        return (publicPath, secretPath);
    }
}
