using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SecureMinutes.Keys;

namespace SecureMinutes.IntegrationTests.Support;

/// <summary>
/// A real HTTPS server on loopback (Kestrel, with a certificate made for the test) playing keys.openpgp.org
/// (VKS), an HKP keyserver and the Web Key Directories of members' domains. The WKD trees are written by
/// Sequoia (<c>sq wkd generate</c>), so the hashed local parts are not ours. Requests are served by their
/// Host header, as through a SOCKS5 proxy that maps every name onto this port; with the host 127.0.0.1 (the
/// WKD base override) a WKD request is found by its path alone.
/// </summary>
public sealed class KeyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDir _root;
    private readonly ConcurrentDictionary<string, byte[]> _vks = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte[]> _vksByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte[]> _hkp = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _uploads = new();

    private KeyServer(WebApplication app, TempDir root, int port, string certificatePath)
    {
        _app = app;
        _root = root;
        Port = port;
        CertificatePath = certificatePath;
    }

    public int Port { get; }

    /// <summary>The server's self-signed certificate (PEM), to trust with SECUREMINUTES_KEYSERVER_TRUST_CERT.</summary>
    public string CertificatePath { get; }

    public string BaseUrl => $"https://127.0.0.1:{Port}";

    /// <summary>Every request seen, as "HOST PATH".</summary>
    public IReadOnlyList<string> Requests => _requests.ToList();

    public IReadOnlyList<string> Uploads => _uploads.ToList();

    public static async Task<KeyServer> StartAsync(params string[] hostNames)
    {
        var root = new TempDir("sm-keyserver-");
        var (certificate, pemPath) = MakeCertificate(root, hostNames);
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var server = new KeyServer(app, root, port, pemPath);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Serves a certificate (armored or binary) at /vks/v1/by-fingerprint/FPR.</summary>
    public void PublishOnVks(byte[] certificate) => _vks[FingerprintOf(certificate)] = Binary(certificate);

    /// <summary>
    /// Also serves it at /vks/v1/by-email/ADDRESS for each of <paramref name="confirmedAddresses"/>, as keys.openpgp.org
    /// does once the address's owner has confirmed it.
    /// </summary>
    public void PublishOnVks(byte[] certificate, params string[] confirmedAddresses)
    {
        PublishOnVks(certificate);
        foreach (var address in confirmedAddresses)
        {
            _vksByEmail[address] = Binary(certificate);
        }
    }

    /// <summary>Serves a certificate (armored or binary) at /pks/lookup?op=get&amp;options=mr&amp;search=0xFPR.</summary>
    public void PublishOnHkp(byte[] certificate) => _hkp[FingerprintOf(certificate)] = Binary(certificate);

    /// <summary>Publishes certificates in the WKD of <paramref name="domain"/>, by the advanced method (openpgpkey.DOMAIN) or the direct one.</summary>
    public async Task PublishOnWkdAsync(string domain, bool direct, params byte[][] certificates)
    {
        var ring = Path.Combine(_root.Path, $"ring-{Guid.NewGuid():N}.asc");
        await File.WriteAllTextAsync(ring, Armor.PublicKey([.. certificates.Select(Binary)]));
        var webRoot = Path.Combine(_root.Path, "www", direct ? domain : "openpgpkey." + domain);
        var arguments = new List<string> { "wkd", "generate" };
        if (direct)
        {
            arguments.Add("--direct-method");
        }

        arguments.AddRange([webRoot, domain, ring]);
        var result = await ProcessRunner.RunAsync("sq", arguments);
        Assert.True(result.ExitCode == 0, $"sq wkd generate: {result}");
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var host = request.Host.Host.ToLowerInvariant();
        var path = request.Path.Value ?? "/";
        _requests.Enqueue($"{host} {path}");
        byte[]? answer = null;
        if (path.StartsWith("/vks/v1/by-fingerprint/", StringComparison.Ordinal))
        {
            answer = _vks.GetValueOrDefault(path["/vks/v1/by-fingerprint/".Length..]) is { } vks ? System.Text.Encoding.ASCII.GetBytes(Armor.PublicKey(vks)) : null;
        }
        else if (path.StartsWith("/vks/v1/by-email/", StringComparison.Ordinal))
        {
            answer = _vksByEmail.GetValueOrDefault(Uri.UnescapeDataString(path["/vks/v1/by-email/".Length..])) is { } byEmail
                ? System.Text.Encoding.ASCII.GetBytes(Armor.PublicKey(byEmail)) : null;
        }
        else if (path == "/vks/v1/upload" && request.Method == "POST")
        {
            using var reader = new StreamReader(request.Body);
            _uploads.Enqueue(await reader.ReadToEndAsync());
            await context.Response.WriteAsJsonAsync(new { token = "test", key_fpr = "", status = new { } });
            return;
        }
        else if (path == "/pks/lookup" && request.Query["op"] == "get" && request.Query["options"] == "mr")
        {
            var search = request.Query["search"].ToString();
            answer = search.StartsWith("0x", StringComparison.Ordinal) && _hkp.GetValueOrDefault(search[2..]) is { } hkp
                ? System.Text.Encoding.ASCII.GetBytes(Armor.PublicKey(hkp)) : null;
        }
        else if (path.StartsWith("/.well-known/openpgpkey/", StringComparison.Ordinal) && !path.Contains("..", StringComparison.Ordinal))
        {
            answer = WkdFile(host, path);
        }

        if (answer is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = path.StartsWith("/.well-known", StringComparison.Ordinal) ? "application/octet-stream" : "application/pgp-keys";
        await context.Response.Body.WriteAsync(answer);
    }

    private byte[]? WkdFile(string host, string path)
    {
        var www = Path.Combine(_root.Path, "www");
        IEnumerable<string> candidates = host != "127.0.0.1"
            ? [Path.Combine(www, host) + path]
            : path.Split('/') is [_, _, _, var domain, "hu", _] ? [Path.Combine(www, "openpgpkey." + domain) + path]
            : Directory.Exists(www) ? Directory.GetDirectories(www).Select(d => d + path) : [];
        return candidates.Where(File.Exists).Select(File.ReadAllBytes).FirstOrDefault();
    }

    private static byte[] Binary(byte[] certificate) => KeyFileReader.Read(certificate, "published").Single().Certificate.GetEncoded();

    private static string FingerprintOf(byte[] certificate) =>
        Fingerprint.Of(KeyFileReader.Read(certificate, "published").Single().Certificate.GetPublicKey()).Hex;

    private static (X509Certificate2 Certificate, string PemPath) MakeCertificate(TempDir root, string[] hostNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=SecureMinutes test keyserver", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var name in hostNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pemPath = Path.Combine(root.Path, "keyserver.pem");
        File.WriteAllText(pemPath, created.ExportCertificatePem());
        // Through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return (X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null), pemPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _root.Dispose();
    }
}
