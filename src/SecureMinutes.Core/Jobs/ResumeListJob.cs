using System.ComponentModel;
using SecureMinutes.Lists;
using SecureMinutes.Storage;

namespace SecureMinutes.Jobs;

/// <summary>
/// Ends a pause that was meant to last a while (a provider's sending quota), if it is still that pause: an
/// admin may have resumed the list already, or it may have been paused again since for a reason that needs
/// them (a refused login), which this job must not clear.
/// </summary>
public sealed class ResumeListJob(ListStore lists, ListPause pause)
{
    [DisplayName("Resume list {0} after a quota pause")]
    public async Task RunAsync(long listId, long pausedAtUnixMs, CancellationToken cancellationToken)
    {
        var list = await lists.GetAsync(listId, cancellationToken);
        if (list.PausedAt?.ToUnixTimeMilliseconds() == pausedAtUnixMs)
        {
            await pause.ResumeAsync(list, cancellationToken);
        }
    }
}
