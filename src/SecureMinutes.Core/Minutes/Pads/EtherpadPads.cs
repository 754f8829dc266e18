using System.Security.Cryptography;
using SecureMinutes.Net;

namespace SecureMinutes.Minutes.Pads;

/// <summary>A pad made for an AG: the address note-takers write in, and the read-only one for everyone else.</summary>
public sealed record CreatedPad(PadAddress ReadWrite, PadAddress ReadOnly);

/// <summary>
/// Creates pads on a list's Etherpad through its HTTP API: <c>createPad</c> with the text in the POST body (a
/// template does not fit in a query string, and the key must not appear in one), then <c>getReadOnlyID</c>.
/// Pad names are 128 random bits: an Etherpad pad is open to whoever knows its name, so the name is the secret.
/// Connections go through the list's proxy (<see cref="ListNetwork"/>), as every pad read does.
/// </summary>
public sealed class EtherpadPads(ListNetwork network, IntakeLimits limits)
{
    /// <summary>
    /// The Etherpad at <paramref name="url"/> (its root, or the prefix it is served under): https, or plain http for
    /// this machine or an onion service, as for reading pads. One line for anything else.
    /// </summary>
    public static Uri ParseServer(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new UserFacingException($"--pad-server '{url}' is not an Etherpad address (e.g. https://pad.example.org)");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new UserFacingException("put no user name or password in --pad-server (the API key goes in --pad-api-key-env)");
        }

        if (uri.Scheme == "http" && !PadAddress.IsLoopback(uri.Host) && !uri.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserFacingException($"{uri.Host} is reached over plain http, which would carry the minutes in clear: use its https:// address");
        }

        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        if (path.EndsWith("/p/", StringComparison.Ordinal))
        {
            path = path[..^2]; // https://pad.example.org/p/ is the server too
        }

        return new Uri($"{uri.Scheme}://{uri.Authority}{path}");
    }

    /// <summary>A new pad on <paramref name="server"/> holding <paramref name="text"/>. Errors are <see cref="PadException"/>s.</summary>
    public async Task<CreatedPad> CreateAsync(long listId, Uri server, string apiKey, string text, CancellationToken cancellationToken)
    {
        var pad = new PadAddress(PadKind.Etherpad, server, NewPadId());
        var socks5 = await network.ProxyAsync(listId, cancellationToken);
        using var http = ProxiedHttp.Create(socks5, limits.PadTimeout);
        try
        {
            // A new pad is a lone "\n" and createPad inserts the text before it; without this the pad would end in an extra blank line.
            var initial = text.EndsWith('\n') ? text[..^1] : text;
            await EtherpadSource.CallAsync(http, pad, "1", "createPad", apiKey, [new("padID", pad.PadId), new("text", initial)], 64 * 1024, cancellationToken);
            var readOnly = await EtherpadSource.CallAsync(http, pad, "1", "getReadOnlyID", apiKey, [new("padID", pad.PadId)], 64 * 1024, cancellationToken);
            var readOnlyId = readOnly.GetProperty("readOnlyID").GetString();
            return string.IsNullOrEmpty(readOnlyId)
                ? throw new PadException(PadFailure.NotAPad, $"{server.Authority}'s Etherpad gave no read-only id for the new pad")
                : new CreatedPad(pad, pad with { PadId = readOnlyId });
        }
        catch (HttpRequestException ex)
        {
            throw PadReader.Describe(ex, pad, socks5);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PadException(PadFailure.Timeout, $"{server.Authority} did not answer within {limits.PadTimeout.TotalSeconds:0} s", ex);
        }
    }

    /// <summary>« ag- » and 32 hex digits: 128 bits from the system's CSPRNG, within Etherpad's 50-character limit.</summary>
    private static string NewPadId() => "ag-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
