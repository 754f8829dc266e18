namespace SecureMinutes.Accounts;

/// <summary>
/// A person who signs in to the web app: a note-taker or an admin, known by e-mail address. Mutable because
/// ASP.NET Core Identity's <c>UserManager</c> sets fields on the object and then asks the store to save it
/// (<see cref="AccountStore"/>). Holds no secret in clear except, in memory only, the TOTP key it was read with.
/// </summary>
public sealed class Account
{
    /// <summary>0 until stored.</summary>
    public long Id { get; set; }

    public string Email { get; set; } = "";

    /// <summary>Identity's lookup form of <see cref="Email"/> (upper-case invariant): unique per installation.</summary>
    public string NormalizedEmail { get; set; } = "";

    /// <summary>Identity's PBKDF2 hash (v3 format), or null for an account that signs in with a passkey only, or not yet.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Changes whenever credentials change: signs out every other session (cookies carry it).</summary>
    public string SecurityStamp { get; set; } = "";

    /// <summary>Sees every list and Hangfire's dashboard (<c>user add --admin</c>).</summary>
    public bool IsInstallationAdmin { get; set; }

    /// <summary>Locked out until then after repeated failed sign-ins.</summary>
    public DateTimeOffset? LockoutEnd { get; set; }

    public int AccessFailedCount { get; set; }

    /// <summary>A TOTP code is asked after the password.</summary>
    public bool TwoFactorEnabled { get; set; }

    /// <summary>The TOTP shared secret (base32), kept sealed in the database.</summary>
    public string? AuthenticatorKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
