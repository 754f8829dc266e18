using MimeKit;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>A member's copy as GnuPG decrypts it with that member's secret key alone: the MIME tree inside the encryption.</summary>
public static class OpenedMail
{
    public static async Task<MimeEntity> DecryptAsync(string emlPath, string memberSecretKey)
    {
        using var gpg = new Gpg();
        var import = await gpg.RunAsync("--import", memberSecretKey);
        Assert.True(import.ExitCode == 0, import.ToString());
        using var work = new TempDir("sm-open-");
        var output = work.Combine("plain.mime");
        var decrypt = await gpg.RunAsync("--output", output, "--decrypt", emlPath);
        Assert.True(decrypt.ExitCode == 0, decrypt.ToString());
        var entity = MimeEntity.Load(output);
        // RFC 3156 6.1: the signed part is the first child of multipart/signed.
        return entity is MimeKit.Cryptography.MultipartSigned signed ? signed[0] : entity;
    }

    /// <summary>The text/plain body (of a multipart/alternative too), line ends as LF.</summary>
    public static string PlainText(MimeEntity inner) =>
        Leaves(inner).OfType<TextPart>().First(p => p.IsPlain && !p.IsAttachment).Text.Replace("\r\n", "\n", StringComparison.Ordinal);

    public static TextPart? Html(MimeEntity inner) => Leaves(inner).OfType<TextPart>().FirstOrDefault(p => p.IsHtml);

    public static IReadOnlyList<MimePart> Attachments(MimeEntity inner) => Leaves(inner).OfType<MimePart>().Where(p => p.IsAttachment).ToList();

    private static IEnumerable<MimeEntity> Leaves(MimeEntity entity) =>
        entity is Multipart multipart ? multipart.SelectMany(Leaves) : [entity];

    public static byte[] Content(MimePart part)
    {
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return bytes.ToArray();
    }
}
