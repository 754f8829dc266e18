namespace SecureMinutes.Cli;

/// <summary>Exit codes other tools can rely on.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad input or environment; the one-line reason is on stderr and nothing was changed.</summary>
    public const int Error = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The command ran, but not every member's copy was delivered (see the per-member lines).</summary>
    public const int NotAllDelivered = 3;

    /// <summary>
    /// The command ran, but something needs an admin: keys refused in a bulk import (the others were imported),
    /// members who cannot receive (<c>keys check</c>), a revocation that could not be uploaded, a mail refused by <c>check-intake</c>.
    /// </summary>
    public const int NeedsAttention = 4;

    public const int Cancelled = 130;

    /// <summary>A bug: please report it.</summary>
    public const int Internal = 70;
}
