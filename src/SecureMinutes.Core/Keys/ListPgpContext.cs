using System.Buffers;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// MimeKit's BouncyCastle OpenPGP engine over keys held in memory: the list's secret key (for signing) and
/// whatever public keys the caller passes. Recipients are always given as exact <see cref="PgpPublicKey"/>s
/// chosen by <see cref="KeyAssessor"/>, never looked up by address.
/// <para>
/// One deliberate override: MimeKit's detached signature carries no hashed subpackets except the creation
/// time BouncyCastle adds. We sign the same bytes the same way but add the issuer fingerprint (RFC 9580
/// §5.2.3.35), which RNP and Sequoia use to find the signer, and set the creation time from our clock so it
/// matches the message's Date header.
/// </para>
/// </summary>
public sealed class ListPgpContext : OpenPgpContext
{
    private readonly List<PgpPublicKeyRing> _publicRings = [];
    private readonly List<PgpSecretKeyRing> _secretRings = [];
    private readonly TimeProvider _time;

    public ListPgpContext(TimeProvider time, PgpSecretKeyRing? listKey = null)
    {
        _time = time;
        if (listKey is not null)
        {
            _secretRings.Add(listKey);
        }
    }

    protected override string GetPasswordForKey(PgpSecretKey key) => string.Empty;

    protected override PgpPublicKeyRing? GetPublicKeyRing(long keyId, CancellationToken cancellationToken) =>
        _publicRings.FirstOrDefault(r => r.GetPublicKey(keyId) is not null);

    protected override Task<PgpPublicKeyRing?> GetPublicKeyRingAsync(long keyId, CancellationToken cancellationToken) =>
        Task.FromResult(GetPublicKeyRing(keyId, cancellationToken));

    protected override PgpSecretKey GetSecretKey(long keyId, CancellationToken cancellationToken) =>
        _secretRings.Select(r => r.GetSecretKey(keyId)).FirstOrDefault(k => k is not null)
        ?? throw new PrivateKeyNotFoundException(keyId.ToString("X16", System.Globalization.CultureInfo.InvariantCulture), "The secret key is not in this context.");

    public override IList<PgpPublicKey> GetPublicKeys(IEnumerable<MailboxAddress> mailboxes, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var keys = new List<PgpPublicKey>();
        foreach (var mailbox in mailboxes)
        {
            var assessment = _publicRings.Select(r => KeyAssessor.Assess(r, now))
                .FirstOrDefault(a => a.Status.CanReceive() && a.HasUserIdFor(mailbox.Address))
                ?? throw new PublicKeyNotFoundException(mailbox, "No usable public key for this address.");
            keys.AddRange(assessment.EncryptionKeys);
        }

        return keys;
    }

    public override PgpSecretKey GetSigningKey(MailboxAddress mailbox, CancellationToken cancellationToken = default)
    {
        foreach (var ring in _secretRings)
        {
            var primary = ring.GetPublicKey();
            if (UserIdAddress.UserIdsOf(primary).Any(uid => string.Equals(UserIdAddress.Of(uid.Text), mailbox.Address, StringComparison.OrdinalIgnoreCase)))
            {
                return SigningKeyOf(ring);
            }
        }

        throw new PrivateKeyNotFoundException(mailbox, "No secret key for this address.");
    }

    /// <summary>The primary key when it may sign (our generated list keys), else the newest signing subkey.</summary>
    internal static PgpSecretKey SigningKeyOf(PgpSecretKeyRing ring)
    {
        var primary = ring.GetSecretKey();
        if (primary.IsSigningKey && MaySign(primary.PublicKey, primary.PublicKey.GetSignatures()))
        {
            return primary;
        }

        return ring.GetSecretKeys()
            .Where(k => !k.IsMasterKey && k.IsSigningKey && MaySign(k.PublicKey, k.PublicKey.GetSignaturesOfType(PgpSignature.SubkeyBinding)))
            .OrderByDescending(k => k.PublicKey.CreationTime)
            .FirstOrDefault() ?? throw new InvalidOperationException("The list key has no key that may sign.");
    }

    private static bool MaySign(PgpPublicKey key, IEnumerable<PgpSignature> selfSignatures)
    {
        var latest = selfSignatures.Where(s => s.HasSubpackets).OrderByDescending(s => s.CreationTime).FirstOrDefault();
        var flags = latest?.GetHashedSubPackets()?.GetKeyFlags() ?? 0;
        return flags == 0 || (flags & PgpKeyFlags.CanSign) != 0;
    }

    public override MimePart Sign(MailboxAddress signer, DigestAlgorithm digestAlgo, Stream content, CancellationToken cancellationToken = default) =>
        CreateSignature(GetSigningKey(signer, cancellationToken), digestAlgo, content, cancellationToken);

    public override Task<MimePart> SignAsync(MailboxAddress signer, DigestAlgorithm digestAlgo, Stream content, CancellationToken cancellationToken = default) =>
        Task.FromResult(Sign(signer, digestAlgo, content, cancellationToken));

    private ApplicationPgpSignature CreateSignature(PgpSecretKey signer, DigestAlgorithm digestAlgo, Stream content, CancellationToken cancellationToken)
    {
        var generator = new PgpSignatureGenerator(signer.PublicKey.Algorithm, GetHashAlgorithm(digestAlgo));
        generator.InitSign(PgpSignature.CanonicalTextDocument, GetPrivateKey(signer));

        var hashed = new PgpSignatureSubpacketGenerator();
        hashed.SetSignatureCreationTime(false, _time.GetUtcNow().UtcDateTime);
        hashed.SetIssuerFingerprint(false, signer.PublicKey);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        unhashed.SetIssuerKeyID(false, signer.KeyId);
        generator.SetUnhashedSubpackets(unhashed.Generate());

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                generator.Update(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var output = new MemoryStream();
        using (var armored = new ArmoredOutputStream(output, false))
        {
            generator.Generate().Encode(armored);
        }

        output.Position = 0;
        return new ApplicationPgpSignature(output);
    }

    /// <summary>
    /// Encrypts an entity to exactly the given keys and wraps it as RFC 3156 multipart/encrypted.
    /// <para>
    /// Written here rather than through <c>MultipartEncrypted.Encrypt</c> because MimeKit stores the MIME
    /// entity in a text-mode ('t') literal packet: GnuPG then turns its CRLF line ends into LF on decryption,
    /// so gpg's plaintext differs from RNP's and Sequoia's (the peer checker fails it). A binary literal keeps
    /// the canonical CRLF bytes in every reader. The rest is MimeKit's: the same packets (ZIP compression,
    /// AES-256, integrity protection, armor without a Version header) and its MIME types.
    /// </para>
    /// </summary>
    public MultipartEncrypted EncryptToKeys(MimeEntity entity, IEnumerable<PgpPublicKey> recipients)
    {
        using var canonical = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        entity.WriteTo(format, canonical);

        using var compressed = new MemoryStream();
        var compressor = new PgpCompressedDataGenerator(CompressionAlgorithmTag.Zip);
        using (var compressedStream = compressor.Open(compressed))
        using (var literal = new PgpLiteralDataGenerator().Open(compressedStream, PgpLiteralData.Binary, string.Empty, canonical.Length, _time.GetUtcNow().UtcDateTime))
        {
            canonical.Position = 0;
            canonical.CopyTo(literal);
        }

        var encryptor = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, new Org.BouncyCastle.Security.SecureRandom());
        var added = new HashSet<long>();
        foreach (var key in recipients)
        {
            if (added.Add(key.KeyId))
            {
                encryptor.AddMethod(key);
            }
        }

        if (added.Count == 0)
        {
            throw new ArgumentException("No recipient keys.", nameof(recipients));
        }

        var armoredBytes = new MemoryStream();
        using (var armored = new ArmoredOutputStream(armoredBytes, false))
        using (var encrypted = encryptor.Open(armored, compressed.Length))
        {
            compressed.Position = 0;
            compressed.CopyTo(encrypted);
        }

        armoredBytes.Position = 0;
        var multipart = new MultipartEncrypted();
        multipart.ContentType.Parameters["protocol"] = EncryptionProtocol;
        multipart.Add(new ApplicationPgpEncrypted());
        multipart.Add(new MimePart("application", "octet-stream")
        {
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "encrypted.asc" },
            ContentTransferEncoding = ContentEncoding.SevenBit,
            Content = new MimeContent(armoredBytes),
        });
        return multipart;
    }

    public override void Import(PgpPublicKeyRing keyring, CancellationToken cancellationToken = default) => _publicRings.Add(keyring);

    public override void Import(PgpPublicKeyRingBundle bundle, CancellationToken cancellationToken = default) =>
        _publicRings.AddRange(bundle.GetKeyRings());

    public override void Import(PgpSecretKeyRing keyring, CancellationToken cancellationToken = default) => _secretRings.Add(keyring);

    public override void Import(PgpSecretKeyRingBundle bundle, CancellationToken cancellationToken = default) =>
        _secretRings.AddRange(bundle.GetKeyRings());

    public override bool CanSign(MailboxAddress signer, CancellationToken cancellationToken = default) =>
        _secretRings.Any(r => UserIdAddress.UserIdsOf(r.GetPublicKey()).Any(uid => string.Equals(UserIdAddress.Of(uid.Text), signer.Address, StringComparison.OrdinalIgnoreCase)));

    public override bool CanEncrypt(MailboxAddress mailbox, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        return _publicRings.Select(r => KeyAssessor.Assess(r, now)).Any(a => a.Status.CanReceive() && a.HasUserIdFor(mailbox.Address));
    }

    public override MimePart Export(IEnumerable<MailboxAddress> mailboxes, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Keys are exported from the list's store, not from a signing context.");

    public override Task<MimePart> ExportAsync(IEnumerable<MailboxAddress> mailboxes, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Keys are exported from the list's store, not from a signing context.");

    public override void Export(IEnumerable<MailboxAddress> mailboxes, Stream stream, bool armor, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Keys are exported from the list's store, not from a signing context.");

    public override Task ExportAsync(IEnumerable<MailboxAddress> mailboxes, Stream stream, bool armor, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Keys are exported from the list's store, not from a signing context.");
}
