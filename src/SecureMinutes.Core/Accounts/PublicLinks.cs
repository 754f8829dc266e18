namespace SecureMinutes.Accounts;

/// <summary>
/// Every link the service prints or mails is built here from the public address people reach the site at
/// (<c>SECUREMINUTES_PUBLIC_URL</c> or <c>serve --public-url</c>), never from a request's Host header, which
/// anyone can forge to make a mailed link point elsewhere.
/// </summary>
public sealed class PublicLinks(SecureMinutesOptions options)
{
    /// <summary>True when a public address is set (<see cref="To"/> works).</summary>
    public bool IsConfigured => options.PublicUrl is not null;

    /// <summary>The absolute link to <paramref name="path"/> (starting with '/').</summary>
    /// <exception cref="UserFacingException">No public URL is configured.</exception>
    public Uri To(string path)
    {
        var root = options.PublicUrl ?? throw new UserFacingException(
            $"no public address is set: set {SecureMinutesOptions.PublicUrlVariable}=https://minutes.example.org (the address people open), or serve --public-url");
        return new Uri(root, root.AbsolutePath.TrimEnd('/') + path);
    }
}
