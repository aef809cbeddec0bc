namespace Fleet.Stacks.Autoscaling;

/// <summary>Thresholds of the autoscaler (the same for every pool that sets <c>autoscale: true</c>).</summary>
/// <param name="QueuePerReadyNode">Saturated when queued requests per ready node reach this.</param>
/// <param name="BusyHigh">Saturated when busy/total slots reach this fraction.</param>
/// <param name="TtftTargetMs">Saturated when the pool's TTFT p95 is above this.</param>
/// <param name="HotWindows">Consecutive saturated windows before scaling up.</param>
/// <param name="BusyLow">Quiet when busy/total slots are at or below this fraction, nothing queued and TTFT within target.</param>
/// <param name="QuietPeriod">How long a pool must stay quiet before each one-node step down.</param>
/// <param name="Cooldown">No change to a pool for this long after it scaled up (new nodes are still booting).</param>
/// <param name="UpStepFraction">Scale up by this fraction of the current size (at least one node).</param>
public sealed record AutoscalerOptions(
    double QueuePerReadyNode = 2,
    double BusyHigh = 0.85,
    double TtftTargetMs = 2000,
    int HotWindows = 2,
    double BusyLow = 0.3,
    TimeSpan? QuietPeriod = null,
    TimeSpan? Cooldown = null,
    double UpStepFraction = 0.5)
{
    public TimeSpan Quiet => QuietPeriod ?? TimeSpan.FromMinutes(15);

    public TimeSpan CooldownAfterUp => Cooldown ?? TimeSpan.FromMinutes(10);
}
