namespace Fleet.Stacks.Autoscaling;

/// <summary>
/// One autoscaler decision: <c>up</c>, <c>down</c> or <c>hold</c>, the target size, a short reason code (a metric label:
/// queue, busy, ttft, cold-start, starting, quiet, cooldown, at-max, at-min, cost-ceiling, no-ready-nodes, warming, steady,
/// pending) and the
/// figures behind it for the log.
/// </summary>
public sealed record AutoscaleDecision(string Action, int From, int Target, string Reason, string Detail)
{
    public bool Changes => Action != "hold";
}
