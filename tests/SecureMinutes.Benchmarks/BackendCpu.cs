namespace SecureMinutes.Benchmarks;

/// <summary>
/// CPU spent by PostgreSQL's backends serving one database (<see cref="ScratchPostgres.BackendsAsync"/>) over a measured
/// interval: the backends are listed and their <see cref="ProcessCpu"/> read every quarter second; a backend already
/// there at the start counts from its CPU then, one that appears later from zero. A backend that opens and closes
/// between two samples, and the last quarter second of one that closes, are missed: the program's connections are
/// pooled and stay open, so this is a small under-count. The server's shared background processes are not counted.
/// </summary>
internal sealed class BackendCpu
{
    private readonly ScratchPostgres _database;
    private readonly Dictionary<int, (double First, double Last)> _seen = [];

    private BackendCpu(ScratchPostgres database) => _database = database;

    /// <summary>CPU seconds of the database's backends since <see cref="StartAsync"/>.</summary>
    public double Seconds => _seen.Values.Sum(s => s.Last - s.First);

    /// <summary>Takes the starting sample; call <see cref="SampleAsync"/> until the interval ends, then once more.</summary>
    public static async Task<BackendCpu> StartAsync(ScratchPostgres database)
    {
        var cpu = new BackendCpu(database);
        foreach (var pid in await database.BackendsAsync())
        {
            if (ProcessCpu.Seconds(pid) is { } seconds)
            {
                cpu._seen[pid] = (seconds, seconds);
            }
        }

        return cpu;
    }

    public async Task SampleAsync()
    {
        foreach (var pid in await _database.BackendsAsync())
        {
            if (ProcessCpu.Seconds(pid) is { } seconds)
            {
                _seen[pid] = _seen.TryGetValue(pid, out var known) ? (known.First, seconds) : (0, seconds);
            }
        }
    }
}
