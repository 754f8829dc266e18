namespace SecureMinutes.Distribution;

/// <summary>Where one member's copy of one submission stands.</summary>
public enum DeliveryState
{
    Queued,
    Sending,
    Delivered,
    FailedTransient,
    FailedPermanent,
    SkippedNoKey,

    /// <summary>A scheduled send was cancelled before its time: this copy will never be sent.</summary>
    Cancelled,
}

public static class DeliveryStateText
{
    public static string ToText(this DeliveryState state) => state switch
    {
        DeliveryState.Queued => "queued",
        DeliveryState.Sending => "sending",
        DeliveryState.Delivered => "delivered",
        DeliveryState.FailedTransient => "failed-transient",
        DeliveryState.FailedPermanent => "failed-permanent",
        DeliveryState.Cancelled => "cancelled",
        _ => "skipped-no-key",
    };

    public static DeliveryState Parse(string text) => text switch
    {
        "queued" => DeliveryState.Queued,
        "sending" => DeliveryState.Sending,
        "delivered" => DeliveryState.Delivered,
        "failed-transient" => DeliveryState.FailedTransient,
        "failed-permanent" => DeliveryState.FailedPermanent,
        "skipped-no-key" => DeliveryState.SkippedNoKey,
        "cancelled" => DeliveryState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Unknown delivery state."),
    };

    /// <summary>Nothing more will happen to this copy without an admin's action.</summary>
    public static bool IsFinal(this DeliveryState state) =>
        state is DeliveryState.Delivered or DeliveryState.FailedPermanent or DeliveryState.SkippedNoKey or DeliveryState.Cancelled;
}
