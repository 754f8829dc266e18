using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Proxy;
using MailKit.Security;
using MimeKit;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>A message as a member's client fetched it: the raw bytes saved to a file, and what IMAP said about it.</summary>
public sealed record FetchedMessage(string Path, MimeMessage Message, string BodyType, string? Protocol);

/// <summary>
/// Reads a member's inbox the way K-9 Mail does: IMAPS (implicit TLS) with the server's certificate pinned (the
/// certificate a K-9 user accepted once, here the provider's self-signed one and nothing else), LOGIN, INBOX
/// opened read-only, a summary fetch (envelope, BODYSTRUCTURE: K-9 recognises PGP/MIME from it), then each
/// full message (BODY.PEEK[], which leaves it unread).
/// </summary>
public static class ImapMailbox
{
    public static async Task<IReadOnlyList<FetchedMessage>> FetchAsync(string host, int port, string certificatePath, string user, string password,
        int expected, string saveTo, TimeSpan? wait = null, IProxyClient? proxy = null)
    {
        using var pinned = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath));
        using var client = new ImapClient
        {
            ProxyClient = proxy,
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData),
        };
        await client.ConnectAsync(host, port, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, password);
        var inbox = client.Inbox;
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        // Delivery into the Maildir follows the provider's 250 by a moment: poll as a client checking mail would.
        while (inbox.Count < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            await inbox.CloseAsync();
            await inbox.OpenAsync(FolderAccess.ReadOnly);
        }

        var summaries = inbox.Count == 0
            ? []
            : await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.Size);
        var fetched = new List<FetchedMessage>();
        Directory.CreateDirectory(saveTo);
        foreach (var summary in summaries)
        {
            var path = Path.Combine(saveTo, $"{user.Replace('@', '_')}-{summary.UniqueId.Id}.eml");
            await using (var file = File.Create(path))
            await using (var raw = await inbox.GetStreamAsync(summary.UniqueId, ""))
            {
                await raw.CopyToAsync(file);
            }

            var structure = summary.Body ?? throw new InvalidDataException($"the server sent no BODYSTRUCTURE for {summary.UniqueId}");
            fetched.Add(new FetchedMessage(path, await MimeMessage.LoadAsync(path), structure.ContentType.MimeType, structure.ContentType.Parameters["protocol"]));
        }

        await client.DisconnectAsync(quit: true);
        return fetched;
    }
}
