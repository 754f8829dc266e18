using System.Text;
using MimeKit;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Notices;

namespace SecureMinutes.Keyring;

/// <summary>
/// The mail announcing a list's new key to every member, in the list's language (words from <c>NoticeResources</c>), with the new key attached as
/// Thunderbird and OpenKeychain offer to import it (<c>application/pgp-keys</c>, <c>OpenPGP_0x….asc</c>).
/// <para>
/// Thunderbird ignores certifications between keys (no web of trust): what lets its users accept the new key
/// is that this announcement is signed by the key they already accepted, and says so. So it is signed by the
/// previous key, unless that key was revoked (then a signature by it proves nothing): then it is signed by
/// the new key and asks members to check the new fingerprint with an admin out of band. GnuPG and
/// OpenKeychain users who trust the previous key also see the new one certified by it.
/// </para>
/// </summary>
public static class ListKeyAnnouncement
{
    public static MinutesPayload Create(MailingList list, Fingerprint previous, byte[] newPublicKey, byte[]? revokedPreviousKey)
    {
        var current = list.KeyFingerprint;
        var file = $"OpenPGP_0x{current.Hex[^16..]}.asc";
        var notice = new NoticeText(list.Language);
        foreach (var section in notice.Sections)
        {
            section.Say("NewListKey", list.DisplayName, list.Address, current.Grouped, previous.Grouped)
                .Blank()
                .Say(revokedPreviousKey is null ? "NewListKeySignedByPrevious" : "NewListKeySignedByNew")
                .Blank()
                .Say("NewListKeyImport", file);
        }

        var document = notice.ToLocalizedDocument("NewListKeySubject", list.DisplayName);

        var body = new TextPart(MimeKit.Text.TextFormat.Plain);
        body.SetText("utf-8", document.Text);
        var parts = new List<MimeEntity> { body, KeyAttachment(newPublicKey, file) };
        if (revokedPreviousKey is not null)
        {
            parts.Add(KeyAttachment(revokedPreviousKey, $"OpenPGP_0x{previous.Hex[^16..]}-revoked.asc"));
        }

        return MinutesPayload.FromParts(document.Subject, parts);
    }

    private static MimePart KeyAttachment(byte[] publicKey, string fileName) => new("application", "pgp-keys")
    {
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName },
        Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(Armor.PublicKey(publicKey)))),
    };
}
