namespace Fleet.Stacks.Autoscaling;

/// <summary>What the autoscaler remembers about a pool between windows.</summary>
/// <param name="HotWindows">Consecutive saturated windows so far.</param>
/// <param name="QuietSince">Start of the current quiet stretch (reset after each step down).</param>
/// <param name="LastUpAt">When the pool last scaled up, or the stack's last <c>pulumi up</c> finished (cooldown).</param>
/// <param name="ColdStartAt">When the pool last scaled up for a cold model; no second cold start until its node could have booted.</param>
public sealed record AutoscaleState(int HotWindows = 0, DateTimeOffset? QuietSince = null, DateTimeOffset? LastUpAt = null, string? LastReason = null,
    DateTimeOffset? ColdStartAt = null);
