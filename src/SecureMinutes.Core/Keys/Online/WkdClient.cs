namespace SecureMinutes.Keys.Online;

/// <summary>
/// Looks a member's key up in their own domain's Web Key Directory: the advanced method first, then the
/// direct one when the advanced host does not exist or has no key for them (as GnuPG does).
/// </summary>
public sealed class WkdClient(HttpClient http, Uri? baseOverride = null)
{
    public async Task<IReadOnlyList<FetchResult>> ByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var address = WkdAddress.For(email, baseOverride);
        var advanced = await KeyDownload.GetAsync(http, address.Advanced, $"WKD advanced {address.Advanced.Host}", cancellationToken);
        if (advanced.Found)
        {
            return [advanced];
        }

        var direct = await KeyDownload.GetAsync(http, address.Direct, $"WKD direct {address.Direct.Host}", cancellationToken);
        return [advanced, direct];
    }
}
