using System.Security.Cryptography;
using System.Text;
using Prometheus;
using SecureMinutes.Health;
using SecureMinutes.Secrets;
using SecureMinutes.Web.Security;

namespace SecureMinutes.Web;

/// <summary>
/// <c>GET /metrics</c> in Prometheus' text format, written by prometheus-net from its own registry (one per
/// host, never the library's static default). The figures are read from the database and Hangfire's storage
/// at each scrape (<see cref="InstallationMetrics"/>), so they count what every worker did. Labels carry list
/// names only. Open to signed-in installation admins, and to a scraper sending
/// <c>Authorization: Bearer TOKEN</c> where TOKEN is <c>SECUREMINUTES_METRICS_TOKEN</c> (or the systemd
/// credential of that name); without that variable, only admins.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The authorization policy of <c>/metrics</c>.</summary>
    public const string Policy = "metrics";

    /// <summary>The variable (or systemd credential) holding the scraper's bearer token.</summary>
    public const string TokenVariable = "SECUREMINUTES_METRICS_TOKEN";

    /// <summary>The policy: an installation admin, or the bearer token (compared in constant time).</summary>
    public static void Configure(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy)
    {
        var token = SecretEnvironment.Get(TokenVariable);
        policy.RequireAssertion(context =>
            context.User.HasClaim(AccountClaims.InstallationAdmin, "true")
            || (context.Resource is HttpContext http && token is { Length: > 0 } && HasBearer(http.Request, token)));
    }

    /// <summary>Maps <c>/metrics</c>, behind <see cref="Policy"/>.</summary>
    public static void MapInstallationMetrics(this IEndpointRouteBuilder endpoints)
    {
        var registry = Metrics.NewCustomRegistry();
        var exporter = new Exporter(Metrics.WithCustomRegistry(registry), endpoints.ServiceProvider.GetRequiredService<InstallationMetrics>());
        registry.AddBeforeCollectCallback(exporter.UpdateAsync);
        endpoints.MapMetrics("/metrics", registry).RequireAuthorization(Policy);
    }

    private static bool HasBearer(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>Sets every metric from one snapshot; label sets that disappeared (a deleted list, an emptied state) are removed.</summary>
    private sealed class Exporter(IMetricFactory factory, InstallationMetrics source)
    {
        private readonly Gauge _copies = factory.CreateGauge("secureminutes_copies", "Copies of minutes and notices by delivery state (queued, delivered, failed, skipped-no-key…)", ["list", "state"]);
        private readonly Gauge _rate = factory.CreateGauge("secureminutes_send_rate_per_minute", "Copies the provider accepted per minute, over the last five minutes", ["list"]);
        private readonly Counter _slowdowns = factory.CreateCounter("secureminutes_provider_slowdowns_total", "Times the provider asked the list to slow down (rate limit answers)", ["list"]);
        private readonly Counter _deferrals = factory.CreateCounter("secureminutes_deferrals_total", "Copies held back by the list's own rate or daily cap", ["list"]);
        private readonly Gauge _paused = factory.CreateGauge("secureminutes_list_paused", "1 while the list's sending is paused", ["list"]);
        private readonly Gauge _expiring = factory.CreateGauge("secureminutes_keys_expiring_30d", "Members whose key expires within 30 days", ["list"]);
        private readonly Gauge _expired = factory.CreateGauge("secureminutes_keys_expired", "Members whose key has expired", ["list"]);
        private readonly Gauge _retries = factory.CreateGauge("secureminutes_job_retries", "Background jobs waiting to be retried");
        private readonly Gauge _failed = factory.CreateGauge("secureminutes_jobs_failed", "Background jobs failed for good");
        private readonly Gauge _enqueued = factory.CreateGauge("secureminutes_jobs_enqueued", "Background jobs waiting for a worker");
        private readonly Lock _gate = new();

        public async Task UpdateAsync(CancellationToken cancellationToken)
        {
            var snapshot = await source.ReadAsync(cancellationToken);
            lock (_gate)
            {
                var lists = snapshot.Lists.Select(l => l.List).ToHashSet(StringComparer.Ordinal);
                foreach (var stale in _copies.GetAllLabelValues().Where(labels => !snapshot.Lists.Any(l => l.List == labels[0] && l.CopiesByState.ContainsKey(labels[1]))).ToList())
                {
                    _copies.RemoveLabelled(stale);
                }

                foreach (var collector in new Collector[] { _rate, _slowdowns, _deferrals, _paused, _expiring, _expired })
                {
                    RemoveStale(collector, lists);
                }

                foreach (var list in snapshot.Lists)
                {
                    foreach (var (state, count) in list.CopiesByState)
                    {
                        _copies.WithLabels(list.List, state).Set(count);
                    }

                    _rate.WithLabels(list.List).Set(list.DeliveredLastFiveMinutes / 5.0);
                    _slowdowns.WithLabels(list.List).IncTo(list.Slowdowns);
                    _deferrals.WithLabels(list.List).IncTo(list.Deferrals);
                    _paused.WithLabels(list.List).Set(list.Paused ? 1 : 0);
                    _expiring.WithLabels(list.List).Set(list.KeysExpiringSoon);
                    _expired.WithLabels(list.List).Set(list.KeysExpired);
                }

                _retries.Set(snapshot.JobRetries);
                _failed.Set(snapshot.JobsFailed);
                _enqueued.Set(snapshot.JobsEnqueued);
            }
        }

        private static void RemoveStale(Collector collector, HashSet<string> lists)
        {
            switch (collector)
            {
                case Gauge gauge:
                    foreach (var stale in gauge.GetAllLabelValues().Where(labels => !lists.Contains(labels[0])).ToList())
                    {
                        gauge.RemoveLabelled(stale);
                    }

                    break;
                case Counter counter:
                    foreach (var stale in counter.GetAllLabelValues().Where(labels => !lists.Contains(labels[0])).ToList())
                    {
                        counter.RemoveLabelled(stale);
                    }

                    break;
            }
        }
    }
}
