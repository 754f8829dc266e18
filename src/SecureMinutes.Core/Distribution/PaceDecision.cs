using System.Globalization;

namespace SecureMinutes.Distribution;

/// <summary>A reserved send slot: when it was taken, so a later "slow down" reply can be matched to it.</summary>
public sealed record SendSlot(DateTimeOffset ReservedAt);

/// <summary>What <see cref="SendPacer"/> says about the next message of a list. Expected outcomes, not errors.</summary>
public abstract record PaceDecision
{
    private PaceDecision()
    {
    }

    /// <summary>Send <paramref name="Count"/> messages now, in <paramref name="Slot"/> (more than one only when the list sends unpaced).</summary>
    public sealed record SendNow(SendSlot Slot, int Count = 1) : PaceDecision;

    /// <summary>The list's next slot (its rate, or a provider's cool-down) is too far away to wait for in place: come back at <paramref name="At"/>.</summary>
    public sealed record WaitUntil(DateTimeOffset At) : PaceDecision;

    /// <summary>The list's daily cap of <paramref name="Cap"/> messages is used up until <paramref name="ResumesAt"/> (the next UTC day).</summary>
    public sealed record CapReached(DateTimeOffset ResumesAt, int Cap) : PaceDecision
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"the list's daily cap of {Cap} messages is reached; sending resumes at {ResumesAt:yyyy-MM-dd HH:mm} UTC");
    }
}
