using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on the same storage choice as the application: its own SQLite file by default, the shared
    /// PostgreSQL database (schema <c>hangfire</c>) with <c>--db</c>. Registers the jobs, not a server:
    /// hosts that process jobs add one (<see cref="BackgroundServerOptions"/>).
    /// </summary>
    public static IServiceCollection AddSecureMinutesJobs(this IServiceCollection services, SecureMinutesOptions options)
    {
        services.AddSingleton(options.Jobs);
        services.AddSingleton<SubmissionDispatcher>();
        services.AddSingleton<AdminNotices>();
        services.AddSingleton<SubmissionCompletion>();
        services.AddSingleton<ListPause>();
        services.AddSingleton<RecurringJobsSync>();
        services.AddTransient<DistributeJob>();
        services.AddTransient<DeliverBatchJob>();
        services.AddTransient<RedistributionJob>();
        services.AddTransient<DigestJob>();
        services.AddTransient<SweepJob>();
        services.AddSingleton<PadCaptures>();
        services.AddTransient<PadCaptureJob>();
        services.AddSingleton<MailIn.MailInProcessor>();
        services.AddTransient<MailInJob>();
        services.AddTransient<ResumeListJob>();
        services.AddTransient<KeyRefreshJob>();
        services.AddTransient<KeyLifecycleJob>();
        services.AddSingleton<Keyring.KeyRefresh>();
        services.AddSingleton<Keyring.KeyLifecycle>();
        services.AddSingleton<Keyring.BulkImport>();
        services.AddSingleton<Keyring.ListKeyRotation>();

        // The storage belongs to this service provider, not to Hangfire's process-wide JobStorage.Current: two
        // providers in one process (tests, or a tool hosting two data dirs) must never enqueue into each other.
        var storage = new Lazy<JobStorage>(() => CreateStorage(options), LazyThreadSafetyMode.ExecutionAndPublication);
        services.AddSingleton<JobStorage>(provider =>
        {
            // Resolving the configuration applies it (activator, filters) before anything uses the storage.
            _ = provider.GetRequiredService<IGlobalConfiguration>();
            return storage.Value;
        });
        services.AddHangfire(configuration =>
        {
            configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseStorage(storage.Value);

            // Retries of deferred batches follow our delays; the default filter (10 attempts) is replaced.
            var delays = options.Delivery.RetryDelays;
            GlobalJobFilters.Filters.Remove<AutomaticRetryAttribute>();
            configuration.UseFilter(new AutomaticRetryAttribute
            {
                Attempts = delays.Count,
                DelayInSecondsByAttemptFunc = attempt => delays.Count == 0 ? 1
                    : (int)Math.Ceiling(delays[(int)Math.Clamp(attempt - 1, 0, delays.Count - 1)].TotalSeconds),
                LogEvents = true,
            });
        });
        return services;
    }

    private static JobStorage CreateStorage(SecureMinutesOptions options)
    {
        if (options.DatabaseUrl is null)
        {
            return new SQLiteStorage(options.JobsDatabasePath, new SQLiteStorageOptions
            {
                QueuePollInterval = options.Jobs.QueuePollInterval,
                InvisibilityTimeout = options.Jobs.InvisibilityTimeout,
            });
        }

        var postgres = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            QueuePollInterval = options.Jobs.QueuePollInterval,
            InvisibilityTimeout = options.Jobs.InvisibilityTimeout,
            // A running job keeps its fetch alive, so the timeout only applies to a worker that died.
            UseSlidingInvisibilityTimeout = true,
            PrepareSchemaIfNecessary = true,
        };
        return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(PostgresDialect.ConnectionString(options.DatabaseUrl), postgres), postgres);
    }

    /// <summary>Options of a server processing this instance's jobs (serve, worker, submit --wait).</summary>
    public static BackgroundJobServerOptions BackgroundServerOptions(SecureMinutesOptions options, string role) => new()
    {
        WorkerCount = options.Jobs.WorkerCount,
        SchedulePollingInterval = options.Jobs.SchedulePollingInterval,
        ServerName = $"secureminutes-{role}:{Environment.ProcessId}",
        ShutdownTimeout = TimeSpan.FromSeconds(15),
    };
}
