using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using SecureMinutes.Secrets;

namespace SecureMinutes.Web.Security;

/// <summary>
/// Seals ASP.NET Core's data-protection keys (which sign session and antiforgery cookies) with the data dir's vault,
/// exactly like minutes and list keys: a copied data dir without the key file or passphrase yields no usable key.
/// </summary>
public sealed class VaultXmlEncryptor(Vault vault) : IXmlEncryptor
{
    internal const string Purpose = "web-data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedKey = vault.Box.Seal(plain, Purpose);
        return new EncryptedXmlInfo(new XElement("sealedByVault", Convert.ToBase64String(sealedKey)), typeof(VaultXmlDecryptor));
    }
}

/// <summary>Opens what <see cref="VaultXmlEncryptor"/> sealed. Made by the data-protection system with the service provider.</summary>
public sealed class VaultXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var vault = (Vault)(services.GetService(typeof(Vault)) ?? throw new InvalidOperationException("The vault is not registered."));
        var plain = vault.Box.Open(Convert.FromBase64String(encryptedElement.Value), VaultXmlEncryptor.Purpose);
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
