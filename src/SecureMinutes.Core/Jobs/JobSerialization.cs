using Hangfire;

namespace SecureMinutes.Jobs;

/// <summary>
/// How Hangfire writes job arguments. Hangfire keeps these settings process-wide only (there is no
/// per-storage switch); every host of this program sets the same values, once, so they can never differ
/// between two hosts in one process. Storage, filters and activator are per host (see
/// <see cref="JobServerFactory"/>, <see cref="JobFilters"/>).
/// </summary>
internal static class JobSerialization
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureConfigured() => _ = Configured.Value;
}
