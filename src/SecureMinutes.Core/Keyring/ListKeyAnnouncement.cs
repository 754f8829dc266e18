using System.Text;
using MimeKit;
using SecureMinutes.Keys;
using SecureMinutes.Lists;
using SecureMinutes.Mail;
using SecureMinutes.Notices;

namespace SecureMinutes.Keyring;

/// <summary>
/// The mail announcing a list's new key to every member, French then English, with the new key attached as
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
        var notice = new NoticeText();
        notice.Fr.Line($"La liste {list.DisplayName} <{list.Address}> change de clé OpenPGP.")
            .Line($"Nouvelle clé : {current.Grouped}")
            .Line($"Ancienne clé : {previous.Grouped}")
            .Blank()
            .Line(revokedPreviousKey is null
                ? (FormattableString)$"Ce message est signé par l'ancienne clé, que vous connaissez déjà : c'est ce qui garantit que la nouvelle clé jointe vient bien de la liste (elle est aussi certifiée par l'ancienne)."
                : $"L'ancienne clé a été RÉVOQUÉE (elle est jointe, avec sa révocation). Ce message est donc signé par la nouvelle clé : avant de l'accepter, vérifiez son empreinte ci-dessus avec un·e admin de la liste, de vive voix ou par un autre canal.")
            .Blank()
            .Line($"Importez la clé jointe ({file}) :")
            .Line($"- Thunderbird : cliquez sur la pièce jointe > « Importer la clé OpenPGP », puis dans le Gestionnaire de clés OpenPGP,")
            .Line($"  Propriétés de la clé > « Oui, j'ai vérifié en personne que cette clé a la bonne empreinte » (si la signature de ce")
            .Line($"  message est valide ou si vous avez vérifié l'empreinte).")
            .Line($"- K-9 Mail / OpenKeychain : touchez la pièce jointe > OpenKeychain > « Importer », puis comparez l'empreinte.")
            .Line($"- GnuPG : gpg --import {file}")
            .Line($"Gardez l'ancienne clé : elle vérifie les comptes-rendus déjà reçus.");
        notice.En.Line($"The list {list.DisplayName} <{list.Address}> has a new OpenPGP key.")
            .Line($"New key:      {current.Grouped}")
            .Line($"Previous key: {previous.Grouped}")
            .Blank()
            .Line(revokedPreviousKey is null
                ? (FormattableString)$"This message is signed by the previous key, which you already know: that is what shows the attached new key comes from the list (the previous key also certifies it)."
                : $"The previous key was REVOKED (attached, with its revocation). So this message is signed by the new key: before accepting it, check its fingerprint above with a list admin, in person or over another channel.")
            .Blank()
            .Line($"Import the attached key ({file}):")
            .Line($"- Thunderbird: click the attachment > \"Import OpenPGP Key\", then in the OpenPGP Key Manager, Key Properties >")
            .Line($"  \"Yes, I've verified in person this key has the correct fingerprint\" (if this message's signature is valid or you checked it).")
            .Line($"- K-9 Mail / OpenKeychain: tap the attachment > OpenKeychain > \"Import\", then compare the fingerprint.")
            .Line($"- GnuPG: gpg --import {file}")
            .Line($"Keep the previous key: it verifies the minutes you already received.");
        var document = notice.ToDocument("Nouvelle clé de la liste", $"New key for {list.DisplayName}", separator: "---");

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
