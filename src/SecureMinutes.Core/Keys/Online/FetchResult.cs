using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys.Online;

/// <summary>What one source (a keyserver, a WKD) answered for one member: keys, "none", or why it failed.</summary>
public sealed record FetchResult(string Source, IReadOnlyList<PgpPublicKeyRing> Certificates, string? Failure = null)
{
    public static FetchResult NotFound(string source) => new(source, []);

    public static FetchResult Failed(string source, string why) => new(source, [], why);

    public bool Found => Certificates.Count > 0;

    public string Describe() => Failure is not null ? $"{Source}: failed ({Failure})" : Found ? $"{Source}: found" : $"{Source}: not found";
}
