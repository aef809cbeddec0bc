using Prometheus;

namespace Fleet.Stacks.Observability;

/// <summary>The service's Prometheus metrics, in a registry of its own (several hosts can share a test process).</summary>
public sealed class StacksMetrics
{
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public Counter Webhooks { get; }
    public Counter Operations { get; }
    public Counter PulumiCommands { get; }
    public Counter ConflictRetries { get; }
    public Counter AutoscalerDecisions { get; }
    public Counter Replacements { get; }
    public Gauge DesiredNodes { get; }
    public Gauge ConfiguredNodes { get; }
    public Gauge PendingOperations { get; }
    public Histogram UpSeconds { get; }

    public StacksMetrics()
    {
        var f = Metrics.WithCustomRegistry(Registry);
        Webhooks = f.CreateCounter("fleet_stacks_webhooks_total", "Scale webhooks by result (accepted, duplicate, unauthorized, invalid, unknown).", "result");
        Operations = f.CreateCounter("fleet_stacks_operations_total", "Finished operations by kind and result.", "stack", "kind", "result");
        PulumiCommands = f.CreateCounter("fleet_stacks_pulumi_commands_total", "pulumi invocations by command (up, config, stack).", "stack", "command");
        ConflictRetries = f.CreateCounter("fleet_stacks_conflict_retries_total", "pulumi up retried after a concurrent-update error.", "stack");
        AutoscalerDecisions = f.CreateCounter("fleet_stacks_autoscaler_decisions_total", "Autoscaler decisions by action and reason.", "stack", "pool", "action", "reason");
        Replacements = f.CreateCounter("fleet_stacks_replacements_total", "Dead nodes queued for replacement.", "stack", "pool");
        DesiredNodes = f.CreateGauge("fleet_stacks_desired_nodes", "Desired node count per pool (last accepted target).", "stack", "pool");
        ConfiguredNodes = f.CreateGauge("fleet_stacks_configured_nodes", "Node ids in the stack config after the last run.", "stack", "pool");
        PendingOperations = f.CreateGauge("fleet_stacks_pending_operations", "Operations accepted or applying.", "stack");
        UpSeconds = f.CreateHistogram("fleet_stacks_up_seconds", "Wall time of pulumi up.", new HistogramConfiguration
        {
            LabelNames = ["stack", "result"],
            Buckets = Histogram.ExponentialBuckets(1, 2, 12),
        });
    }
}
