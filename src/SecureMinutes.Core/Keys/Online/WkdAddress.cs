using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SecureMinutes.Keys.Online;

/// <summary>
/// Where the Web Key Directory of a member's domain publishes their key (draft-koch-openpgp-webkey-service):
/// the SHA-1 of the lower-cased local part in z-base-32, under <c>openpgpkey.DOMAIN</c> (advanced method)
/// or <c>DOMAIN</c> itself (direct method), with the local part as it was written in <c>?l=</c>.
/// </summary>
public sealed record WkdAddress(Uri Advanced, Uri Direct, string Hash)
{
    private static readonly IdnMapping Idn = new();

    /// <param name="baseOverride">Send both requests to this origin instead (a local mirror, or tests): the paths stay those of the two methods.</param>
    public static WkdAddress For(string email, Uri? baseOverride = null)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
        {
            throw new ArgumentException($"'{email}' is not an e-mail address.", nameof(email));
        }

        var local = email[..at];
        var domain = Idn.GetAscii(email[(at + 1)..]).ToLowerInvariant();
        // SHA-1 here only names a file (the WKD specification fixes it); nothing relies on its collision resistance.
#pragma warning disable CA5350
        var hash = ZBase32.Encode(SHA1.HashData(Encoding.UTF8.GetBytes(local.ToLowerInvariant())));
#pragma warning restore CA5350
        var query = "?l=" + Uri.EscapeDataString(local);
        var advancedPath = $"/.well-known/openpgpkey/{domain}/hu/{hash}{query}";
        var directPath = $"/.well-known/openpgpkey/hu/{hash}{query}";
        if (baseOverride is not null)
        {
            var origin = baseOverride.GetLeftPart(UriPartial.Authority);
            return new WkdAddress(new Uri(origin + advancedPath), new Uri(origin + directPath), hash);
        }

        return new WkdAddress(new Uri($"https://openpgpkey.{domain}{advancedPath}"), new Uri($"https://{domain}{directPath}"), hash);
    }
}
