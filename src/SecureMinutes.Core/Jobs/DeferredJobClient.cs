using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace SecureMinutes.Jobs;

/// <summary>
/// Hangfire's client, built on first use: opening the job storage writes (SQLite creates its WAL index,
/// Hangfire checks its schema), and commands that only read (<c>status</c>, <c>member list</c>) must keep
/// working on a full disk. A command that queues a job still meets the full disk, at the moment it writes.
/// </summary>
internal sealed class DeferredJobClient(Func<IBackgroundJobClient> create) : IBackgroundJobClient
{
    private readonly Lazy<IBackgroundJobClient> _client = new(create);

    public string Create(Job job, IState state) => _client.Value.Create(job, state);

    public bool ChangeState(string jobId, IState state, string expectedState) => _client.Value.ChangeState(jobId, state, expectedState);
}
