using Hangfire;

namespace SecureMinutes.Jobs;

/// <summary>Who processes jobs: is a <c>serve</c>/<c>worker</c> process alive on this storage?</summary>
public static class JobServers
{
    /// <summary>Servers beat every 30 s; one silent for a minute is gone (killed, or stopped without saying so).</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromMinutes(1);

    public static bool AnyAlive(JobStorage storage, DateTimeOffset now) =>
        storage.GetMonitoringApi().Servers().Any(server =>
            server.Heartbeat is { } beat && now - new DateTimeOffset(DateTime.SpecifyKind(beat, DateTimeKind.Utc)) < Silence);
}
