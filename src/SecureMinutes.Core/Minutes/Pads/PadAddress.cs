using System.Net;

namespace SecureMinutes.Minutes.Pads;

/// <summary>
/// A pad as a note-taker pastes its address from the browser. <c>…/p/NAME</c> (with any prefix, an
/// <c>/export/txt</c> or <c>/timeslider</c> suffix, or a read-only <c>r.…</c> id) is an Etherpad pad;
/// <c>…/NOTE</c>, <c>…/NOTE/download</c> and <c>…/s/NOTE</c> are HedgeDoc notes.
/// <para>
/// Pads are fetched over https only: plain http would carry the minutes in clear. A server on this machine
/// and a Tor onion service (encrypted end to end by Tor) are the exceptions.
/// </para>
/// </summary>
public sealed record PadAddress(PadKind Kind, Uri BaseUri, string PadId)
{
    private static readonly string[] EtherpadSuffixes = ["", "export", "timeslider"];

    public bool IsReadOnly => Kind == PadKind.Etherpad && PadId.StartsWith("r.", StringComparison.Ordinal);

    /// <summary>Where the pad is, for messages: host and name, nothing more.</summary>
    public string Display => Kind == PadKind.Etherpad ? $"pad {PadId} on {BaseUri.Authority}" : $"note {PadId} on {BaseUri.Authority}";

    /// <summary>The canonical address, as stored (sealed) for a scheduled capture.</summary>
    public string Url => Kind == PadKind.Etherpad ? $"{BaseUri}p/{Uri.EscapeDataString(PadId)}" : $"{BaseUri}{Uri.EscapeDataString(PadId)}";

    public static PadAddress Parse(string text)
    {
        var usage = $"'{text}' is not a pad address (Etherpad/Framapad: https://HOST/p/NAME, HedgeDoc: https://HOST/NOTE-ID)";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw new UserFacingException(usage);
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new UserFacingException("put no user name or password in the pad address (use --pad-api-key-env for Etherpad's API key)");
        }

        if (uri.Scheme == "http" && !IsLoopback(uri.Host) && !uri.Host.EndsWith(".onion", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserFacingException($"{uri.Host} is reached over plain http, which would carry the minutes in clear: use its https:// address");
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var root = $"{uri.Scheme}://{uri.Authority}/";
        var p = Array.LastIndexOf(segments, "p");
        if (p >= 0 && p + 1 < segments.Length)
        {
            var rest = segments[(p + 2)..];
            if (rest.Length > 0 && !EtherpadSuffixes.Contains(rest[0], StringComparer.Ordinal) && !(rest.Length > 1 && rest[1] == "export"))
            {
                throw new UserFacingException(usage);
            }

            var prefix = string.Concat(segments[..p].Select(s => Uri.EscapeDataString(s) + "/"));
            return new PadAddress(PadKind.Etherpad, new Uri(root + prefix), CheckedId(segments[p + 1], usage));
        }

        var note = segments switch
        {
            [var id] => id,
            [var id, "download" or "publish" or "slide"] => id,
            ["s", var id] => id,
            _ => throw new UserFacingException(usage),
        };
        return new PadAddress(PadKind.HedgeDoc, new Uri(root), CheckedId(note, usage));
    }

    private static string CheckedId(string id, string usage) =>
        id.Length is > 0 and <= 200 && !id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '/') ? id : throw new UserFacingException(usage);

    internal static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
