using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace SecureMinutes.Keys;

/// <summary>
/// What judging a member's certificate (<see cref="KeyAssessor"/>) concluded, kept with the member so that listings,
/// <c>keys check</c>, <c>submit</c> and the send loop need not verify its signatures again: made when the key is
/// imported, merged, refreshed or replaced (and by the daily key job), and tied to the exact certificate bytes by
/// their SHA-256 (<see cref="IsFor"/>), so a summary can never describe another key.
/// <para>
/// Passing time is applied when it is read (<see cref="At"/>): the expiry of every encryption-capable subkey and of
/// the primary key is kept, so a key expiring, or an encryption subkey expiring while another lives, reads exactly
/// as a new judgement at that time would (the tests compare the two). What else could change with time alone
/// (self-signatures dated in the future, signature expiration subpackets) is caught by the daily key job, which
/// judges every key afresh.
/// </para>
/// </summary>
public sealed record KeySummary(
    KeyStatus Status,
    string? Problem,
    DateTimeOffset? Expires,
    DateTimeOffset? PrimaryExpires,
    IReadOnlyList<KeySummary.EncryptionSubkey> Subkeys,
    string CertificateSha256)
{
    /// <summary>An encryption-capable (sub)key: its id, its expiry (capped by the primary's), and why it is unusable apart from expiry.</summary>
    public sealed record EncryptionSubkey(string KeyId, DateTimeOffset? Expires, string? Unusable);

    /// <summary>The summary of <paramref name="assessment"/>, the judgement of <paramref name="certificate"/> (the stored bytes).</summary>
    public static KeySummary Of(KeyAssessment assessment, byte[] certificate)
    {
        var subkeys = assessment.Subkeys.Where(s => s.CanEncrypt)
            .Select(s => new EncryptionSubkey(s.KeyId, s.Expires, s.Unusable is { } u && !u.StartsWith(ExpiredPrefix, StringComparison.Ordinal) ? u : null))
            .ToList();
        var primaryExpires = assessment.Subkeys.Count > 0 ? assessment.Subkeys[0].Expires : assessment.Expires;
        return new KeySummary(assessment.Status, assessment.Problem, assessment.Expires, primaryExpires, subkeys, Hash(certificate));
    }

    /// <summary>True when this summary was made from exactly these certificate bytes.</summary>
    public bool IsFor(byte[] certificate) => CertificateSha256 == Hash(certificate);

    /// <summary>The judgement at <paramref name="now"/>: status, problem, expiry and encryption subkeys, as <see cref="KeyAssessor"/> would give them.</summary>
    public KeyState At(DateTimeOffset now)
    {
        // Refused keys (revoked, no encryption key, invalid, expired) stay refused: time revives none of them.
        if (!Status.CanReceive())
        {
            return new KeyState(Status, Problem, Expires, []);
        }

        if (PrimaryExpires is { } pe && pe <= now)
        {
            return new KeyState(KeyStatus.Expired, FormattableString.Invariant($"the key expired on {pe:yyyy-MM-dd}"), pe, []);
        }

        // KeyAssessor's order of reasons: revoked, then expired, then anything else (weak, unsupported).
        var judged = Subkeys.Select(s => (s.KeyId, s.Expires, Unusable:
            s.Unusable is { } u && u.StartsWith("revoked", StringComparison.Ordinal) ? u
            : s.Expires is { } e && e <= now ? FormattableString.Invariant($"{ExpiredPrefix}{e:yyyy-MM-dd}")
            : s.Unusable)).ToList();
        var usable = judged.Where(s => s.Unusable is null).ToList();
        if (usable.Count == 0)
        {
            var (status, problem) = judged.All(s => s.Unusable!.StartsWith(ExpiredPrefix, StringComparison.Ordinal))
                ? (KeyStatus.Expired, "every encryption subkey has expired: " + string.Join("; ", judged.Select(s => $"{s.KeyId} {s.Unusable}")))
                : judged.All(s => s.Unusable!.StartsWith("revoked", StringComparison.Ordinal))
                    ? (KeyStatus.Revoked, "every encryption subkey is revoked")
                    : (KeyStatus.NoEncryptionKey, "no usable encryption subkey: " + string.Join("; ", judged.Select(s => $"{s.KeyId} {s.Unusable}")));
            return new KeyState(status, problem, PrimaryExpires, []);
        }

        // As KeyAssessor: readable while one usable encryption subkey lives, never past the primary's expiry.
        DateTimeOffset? expires = usable.Any(s => s.Expires is null) ? PrimaryExpires : usable.Max(s => s.Expires);
        var soon = expires is { } x && x - now <= KeyAssessor.ExpiringSoonWindow;
        return new KeyState(soon ? KeyStatus.ExpiringSoon : KeyStatus.Usable, null, expires,
            usable.Select(s => long.Parse(s.KeyId, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToList());
    }

    public string ToJson() => JsonSerializer.Serialize(this, KeySummaryJson.Default.KeySummary);

    /// <summary>The stored summary, or null when there is none or it cannot be read (the key is then judged afresh).</summary>
    /// <remarks>
    /// Read with <see cref="Utf8JsonReader"/> rather than the serializer: a listing of 10,000 members reads 10,000
    /// summaries, and the generated serializer, which builds this record through its constructor, cost ~30 µs each plus
    /// its set-up on first use (dotnet-trace of <c>member list</c>, issue 12). Reads exactly what <see cref="ToJson"/>
    /// writes (property names as declared, <see cref="KeyStatus"/> as a number, dates as ISO 8601, nulls left out);
    /// unknown properties are skipped, and a summary missing its status, subkeys or certificate hash is not used.
    /// </remarks>
    public static KeySummary? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return Read(System.Text.Encoding.UTF8.GetBytes(json));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static KeySummary? Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Start(ref reader, JsonTokenType.StartObject);
        KeyStatus? status = null;
        string? problem = null, certificateSha256 = null;
        DateTimeOffset? expires = null, primaryExpires = null;
        List<EncryptionSubkey>? subkeys = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader;
            reader.Read();
            if (name.ValueTextEquals("Status"u8))
            {
                status = (KeyStatus)reader.GetInt32();
            }
            else if (name.ValueTextEquals("Problem"u8))
            {
                problem = reader.GetString();
            }
            else if (name.ValueTextEquals("Expires"u8))
            {
                expires = Date(ref reader);
            }
            else if (name.ValueTextEquals("PrimaryExpires"u8))
            {
                primaryExpires = Date(ref reader);
            }
            else if (name.ValueTextEquals("CertificateSha256"u8))
            {
                certificateSha256 = reader.GetString();
            }
            else if (name.ValueTextEquals("Subkeys"u8))
            {
                subkeys = ReadSubkeys(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return status is { } s && subkeys is not null && certificateSha256 is not null
            ? new KeySummary(s, problem, expires, primaryExpires, subkeys, certificateSha256)
            : null;
    }

    private static List<EncryptionSubkey> ReadSubkeys(ref Utf8JsonReader reader)
    {
        var subkeys = new List<EncryptionSubkey>();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Subkeys is not an array");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? keyId = null, unusable = null;
            DateTimeOffset? expires = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader;
                reader.Read();
                if (name.ValueTextEquals("KeyId"u8))
                {
                    keyId = reader.GetString();
                }
                else if (name.ValueTextEquals("Expires"u8))
                {
                    expires = Date(ref reader);
                }
                else if (name.ValueTextEquals("Unusable"u8))
                {
                    unusable = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            subkeys.Add(new EncryptionSubkey(keyId ?? throw new JsonException("a subkey without its id"), expires, unusable));
        }

        return subkeys;
    }

    private static DateTimeOffset? Date(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();

    private static void Start(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (!reader.Read() || reader.TokenType != expected)
        {
            throw new JsonException($"expected {expected}");
        }
    }

    private const string ExpiredPrefix = "expired on ";

    private static string Hash(byte[] certificate) => Convert.ToHexString(SHA256.HashData(certificate));
}

/// <summary>
/// A member's key as judged at one moment, from its <see cref="KeySummary"/>: what listings show and what the send
/// loop needs (the ids of the subkeys to encrypt to: <see cref="EncryptionKeysIn"/>).
/// </summary>
public sealed record KeyState(KeyStatus Status, string? Problem, DateTimeOffset? Expires, IReadOnlyList<long> EncryptionKeyIds)
{
    /// <summary>The usable encryption subkeys, taken from the member's stored certificate by id (no signature is verified again).</summary>
    public IReadOnlyList<PgpPublicKey> EncryptionKeysIn(PgpPublicKeyRing certificate) =>
        EncryptionKeyIds.Select(id => certificate.GetPublicKey(id) ?? throw new InvalidOperationException($"subkey {id:X16} is not in this certificate")).ToList();
}
