using MimeKit;

namespace SecureMinutes.MailIn;

/// <summary>
/// Recognises PGP/INLINE: an armored message pasted in a text body (Mailvelope, FlowCrypt and other webmail
/// extensions, old K-9). It is refused with that reason rather than "not encrypted", which would be false:
/// inline PGP protects neither the subject nor the attachments, so the list reads PGP/MIME only.
/// </summary>
internal static class InlinePgp
{
    public static bool IsIn(MimeEntity? body) =>
        body is not null && body.EnumerateLeaves().OfType<TextPart>().Any(t => t.Text.Contains("-----BEGIN PGP MESSAGE-----", StringComparison.Ordinal));

    private static IEnumerable<MimeEntity> EnumerateLeaves(this MimeEntity entity) =>
        entity is Multipart multipart ? multipart.SelectMany(EnumerateLeaves) : [entity];
}
