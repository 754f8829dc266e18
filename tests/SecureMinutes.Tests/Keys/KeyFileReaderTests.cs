using System.Text;
using SecureMinutes.Keys;
using SecureMinutes.Tests.Support;

namespace SecureMinutes.Tests.Keys;

/// <summary>Keys arrive as files and as mails, the way Thunderbird, K-9/OpenKeychain and GnuPG users send them.</summary>
public sealed class KeyFileReaderTests
{
    private static string Armored(string name) => Encoding.ASCII.GetString(TestKeys.FixtureBytes(name));

    private static string Primary(FoundCertificate found) => Fingerprint.Of(found.Certificate.GetPublicKey()).Hex;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_FindsTheKeyThunderbirdAttached(bool base64)
    {
        var mail = KeyMail.ThunderbirdAttachedKey(Armored("twosub"), "0A7CCC831DA2B699", base64);

        var found = Assert.Single(KeyFileReader.Read(mail, "cle.eml"));

        Assert.Equal(TestKeys.Expected("twosub").Primary, Primary(found));
        Assert.Equal("cle.eml: attachment OpenPGP_0x0A7CCC831DA2B699.asc", found.Origin);
    }

    [Fact]
    public void Read_FindsAKeyPastedIntoAQuotedPrintableText()
    {
        var found = Assert.Single(KeyFileReader.Read(KeyMail.InlineKeyInQuotedPrintableText(Armored("ed25519")), "k9.eml"));

        Assert.Equal(TestKeys.Expected("ed25519").Primary, Primary(found));
        Assert.Equal("k9.eml: the text of the mail", found.Origin);
    }

    [Fact]
    public void Read_FindsTheKeyOfAForwardedMail()
    {
        var original = KeyMail.ThunderbirdAttachedKey(Armored("rsa3072"), "47F55490E6F4FA02", base64: true);

        var found = Assert.Single(KeyFileReader.Read(KeyMail.Forwarded(original), "fwd.eml"));

        Assert.Equal(TestKeys.Expected("rsa3072").Primary, Primary(found));
    }

    [Fact]
    public void Read_UsesTheAutocryptHeader_OnlyWhenTheMailCarriesNoOtherKey()
    {
        var headerOnly = Assert.Single(KeyFileReader.Read(KeyMail.AutocryptOnly(TestKeys.Fixture("ed25519").GetEncoded()), "plain.eml"));
        Assert.Equal(TestKeys.Expected("ed25519").Primary, Primary(headerOnly));
        Assert.Equal("plain.eml: Autocrypt header", headerOnly.Origin);

        var withAttachment = KeyMail.ThunderbirdAttachedKey(Armored("twosub"), "0A7CCC831DA2B699", base64: false,
            autocryptKeyData: Convert.ToBase64String(TestKeys.Fixture("ed25519").GetEncoded()));
        Assert.Equal(TestKeys.Expected("twosub").Primary, Primary(Assert.Single(KeyFileReader.Read(withAttachment, "cle.eml"))));
    }

    [Fact]
    public void Read_RefusesAMailWithASecretKeyAttached()
    {
        var mail = KeyMail.ThunderbirdAttachedKey(Encoding.ASCII.GetString(TestKeys.FixtureBytes("rsa3072", secret: true)), "47F55490E6F4FA02", base64: false);

        var ex = Assert.Throws<UserFacingException>(() => KeyFileReader.Read(mail, "oops.eml"));

        Assert.Contains("SECRET key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SaysWhatToDo_WithAnEncryptedMail()
    {
        var mail = Encoding.ASCII.GetBytes("From: a@example.org\r\nTo: b@example.org\r\nSubject: ...\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\r\n\r\n--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n" +
            "--b\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQ==\r\n-----END PGP MESSAGE-----\r\n--b--\r\n");

        var ex = Assert.Throws<UserFacingException>(() => KeyFileReader.Read(mail, "enc.eml"));

        Assert.Contains("encrypted mail", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FindsEveryKey_OfAnOpenKeychainExportInOneArmorBlockWithCrlf()
    {
        var binary = TestKeys.Fixture("ed25519").GetEncoded().Concat(TestKeys.Fixture("rsa4096").GetEncoded()).Concat(TestKeys.Fixture("sq-cv25519").GetEncoded()).ToArray();
        var armored = Armor.PublicKey(binary).Replace("-----\n", "-----\nComment: This is an OpenPGP public key exported from OpenKeychain\nComment: https://www.openkeychain.org\n", StringComparison.Ordinal)
            .ReplaceLineEndings("\r\n");

        var found = KeyFileReader.Read(Encoding.ASCII.GetBytes(armored), "openkeychain-export.asc");

        Assert.Equal([TestKeys.Expected("ed25519").Primary, TestKeys.Expected("rsa4096").Primary, TestKeys.Expected("sq-cv25519").Primary], found.Select(Primary));
    }

    [Fact]
    public void Read_ReadsABinaryKeyring_AsGpgExportWritesIt()
    {
        var binary = TestKeys.Fixture("twouid").GetEncoded().Concat(TestKeys.Fixture("rsa3072").GetEncoded()).ToArray();

        var found = KeyFileReader.Read(binary, "keyring.gpg");

        Assert.Equal([TestKeys.Expected("twouid").Primary, TestKeys.Expected("rsa3072").Primary], found.Select(Primary));
    }

    [Fact]
    public void Read_MergesTwoCopiesOfTheSameKey_IntoOne()
    {
        var text = Armored("ed25519") + "\nand again:\n" + Armored("ed25519");

        Assert.Single(KeyFileReader.Read(Encoding.ASCII.GetBytes(text), "twice.asc"));
    }

    [Fact]
    public void Read_PassesOverASignatureBlock_NextToTheKey()
    {
        var text = Armored("rsa3072") + "\n-----BEGIN PGP SIGNATURE-----\n\niQ==\n=abcd\n-----END PGP SIGNATURE-----\n";

        Assert.Single(KeyFileReader.Read(Encoding.ASCII.GetBytes(text), "signed.txt"));
    }

    [Fact]
    public void Read_ExplainsGnuPGsOwnKeyringFile()
    {
        var keybox = new byte[64];
        "KBXf"u8.CopyTo(keybox.AsSpan(8));

        var ex = Assert.Throws<UserFacingException>(() => KeyFileReader.Read(keybox, "pubring.kbx"));

        Assert.Contains("gpg --export", ex.Message, StringComparison.Ordinal);
    }
}
