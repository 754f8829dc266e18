namespace SecureMinutes.Joining;

/// <summary>
/// How long join requests live and how often challenges may be asked for. The per-client limit is the web's
/// (<c>JoinRateLimit</c>); these two are counted in the database so they hold across processes and restarts.
/// </summary>
/// <param name="ChallengeLifetime">An unconfirmed request (its challenge link) expires after this long.</param>
/// <param name="ApprovalLifetime">A confirmed request waits this long for a list admin before it expires.</param>
/// <param name="PerAddress">Challenges one address may be sent per <paramref name="Window"/>, on one list (a member or not, alike).</param>
/// <param name="PerInvite">Challenges one invite may send per <paramref name="Window"/> (an AG of a few hundred people fits).</param>
public sealed record JoinLimits(TimeSpan ChallengeLifetime, TimeSpan ApprovalLifetime, int PerAddress, int PerInvite, TimeSpan Window)
{
    public static readonly JoinLimits Default = new(TimeSpan.FromHours(48), TimeSpan.FromDays(14), PerAddress: 3, PerInvite: 400, Window: TimeSpan.FromHours(1));
}
