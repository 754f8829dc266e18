using System.Net.Http;
using System.Security.Authentication;
using SecureMinutes.Net;
using SecureMinutes.Secrets;

namespace SecureMinutes.Minutes.Pads;

/// <summary>A pad's text, and the format it is sent in unless <c>--format</c> says otherwise.</summary>
public sealed record PadText(string Text, MinutesFormat Format);

/// <summary>
/// Reads a pad for a list: through the list's SOCKS5 proxy when it has one (a list on Tor fetches its pads
/// through Tor), certificates validated, size bounded, text kept in memory only. Every failure is a
/// <see cref="PadException"/> with one line saying what is wrong and what to do.
/// </summary>
public sealed class PadReader(IEnumerable<IPadSource> sources, IntakeLimits limits, ListNetwork network, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? SecretEnvironment.Get;

    /// <summary>Reads the pad for list <paramref name="listId"/>, through the list's proxy when it has one (<see cref="ListNetwork"/>).</summary>
    /// <exception cref="PadException">The pad cannot be read; the message says why and what to do.</exception>
    public async Task<PadText> ReadAsync(long listId, PadRequest request, CancellationToken cancellationToken) =>
        await ReadAsync(request, await network.ProxyAsync(listId, cancellationToken), cancellationToken);

    private async Task<PadText> ReadAsync(PadRequest request, string? socks5, CancellationToken cancellationToken)
    {
        var pad = request.Address;
        var source = sources.Single(s => s.Kind == pad.Kind);
        string? apiKey = null;
        if (request.ApiKeyVariable is { } variable)
        {
            apiKey = _environment(variable);
            if (string.IsNullOrEmpty(apiKey))
            {
                throw new PadException(PadFailure.Configuration, $"the pad API key variable {variable} is not set in this process's environment");
            }
        }

        using var http = ProxiedHttp.Create(socks5, limits.PadTimeout);
        string text;
        try
        {
            text = await source.ReadAsync(http, request, apiKey, limits.MaxTextBytes, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Describe(ex, pad, socks5);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PadException(PadFailure.Timeout, $"{pad.BaseUri.Authority} did not answer within {limits.PadTimeout.TotalSeconds:0} s", ex);
        }
        catch (IOException ex)
        {
            throw new PadException(PadFailure.Unreachable, $"the connection to {pad.BaseUri.Authority} was lost while reading {pad.Display}", ex);
        }

        var format = pad.Kind == PadKind.HedgeDoc ? MinutesFormat.Markdown : MinutesFormat.Text;
        try
        {
            return new PadText(MinutesFile.Normalise(text, pad.Display), format);
        }
        catch (UserFacingException ex) when (string.IsNullOrWhiteSpace(text))
        {
            throw new PadException(PadFailure.Empty, ex.Message);
        }
        catch (UserFacingException ex)
        {
            throw new PadException(PadFailure.NotAPad, ex.Message);
        }
    }

    internal static PadException Describe(HttpRequestException ex, PadAddress pad, string? socks5)
    {
        var host = pad.BaseUri.Authority;
        var tls = ex.HttpRequestError == HttpRequestError.SecureConnectionError || ex.InnerException is AuthenticationException;
        return ex.HttpRequestError switch
        {
            _ when tls => new PadException(PadFailure.Tls,
                $"TLS with {host} failed: its certificate is not trusted or the handshake was refused (is the address right? is the clock right?)", ex),
            HttpRequestError.NameResolutionError => new PadException(PadFailure.Unreachable, $"cannot find {pad.BaseUri.Host} (no such host name)", ex),
            HttpRequestError.ProxyTunnelError => new PadException(PadFailure.Unreachable, $"the SOCKS5 proxy {socks5} could not reach {host}", ex),
            HttpRequestError.ConnectionError => new PadException(PadFailure.Unreachable,
                $"cannot reach {host}{(socks5 is null ? "" : $" through the SOCKS5 proxy {socks5}")}: {OneLine(ex.InnerException?.Message ?? ex.Message)}", ex),
            _ => new PadException(PadFailure.Unreachable, $"cannot read {pad.Display}: {OneLine(ex.Message)}", ex),
        };
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd('.');
}
