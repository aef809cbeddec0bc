using System.Collections.Concurrent;
using Fleet.Infra.Catalog;
using Fleet.Infra.Configuration;
using Fleet.Stacks.Gateway;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Scaling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Autoscaling;

/// <summary>
/// Every window: reads the gateway's load and node states, lets the autoscaler decide for pools with
/// <c>autoscale: true</c> (a pool paused from the console holds its size, with reason <c>paused</c>), and queues a replacement for each node dead longer than the grace window. Both only
/// record desired state and wake the stack's writer, exactly as a webhook does.
/// </summary>
public sealed class FleetWatcher(StacksOptions options, GatewayAdminClient? gateway, StackConfigLoader configs, OperationStore store,
    StackCoordinator coordinator, StacksMetrics metrics, TimeProvider time, ILogger<FleetWatcher> log, NodeLedger? ledger = null) : BackgroundService
{
    private readonly AutoscalerPolicy _policy = new(options.Autoscaler);
    private readonly ConcurrentDictionary<(string Stack, string Pool), AutoscaleState> _state = new();

    /// <summary>The remembered state of a pool (tests read it).</summary>
    public AutoscaleState StateOf(string stack, string pool) => _state.GetValueOrDefault((stack, pool)) ?? new AutoscaleState();

    /// <summary>One window over every stack; returns the decisions that changed a desired size.</summary>
    public async Task<IReadOnlyList<AutoscaleDecision>> TickAsync(CancellationToken ct)
    {
        var changed = new List<AutoscaleDecision>();
        if (gateway is null) return changed;
        foreach (var stack in options.Stacks)
        {
            try
            {
                var config = configs.Load(stack, lastGoodOnError: true);
                var load = await gateway.LoadAsync(ct).ConfigureAwait(false);
                var nodes = await gateway.NodesAsync(ct).ConfigureAwait(false);
                changed.AddRange(Autoscale(stack, config, load, nodes));
                ReplaceDead(stack, config, nodes);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // A bad window (gateway down, odd JSON, stack file mid-edit) must not stop the service: log it, try the next.
                Log.WatchFailed(log, stack, e.Message);
            }
        }
        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (gateway is null || options.WatchInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.WatchInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await TickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private List<AutoscaleDecision> Autoscale(string stack, FleetConfig config, GatewayLoad load, GatewayNodes nodes)
    {
        var changed = new List<AutoscaleDecision>();
        var desired = store.Desired(stack);
        var catalog = CloudCatalog.For(config.Cloud);
        int Size(PoolConfig p) => desired.TryGetValue(p.Name, out var d) ? d : p.NodeIds.Count;
        decimal Price(string size) => catalog.FindSize(size)?.MonthlyPrice ?? 0;
        var pending = store.PendingCount(stack) > 0;
        var paused = store.AutoscalePaused(stack);
        // The cooldown follows every `up` of the stack, whoever asked for it (a webhook, a replacement, the autoscaler).
        var lastRun = store.LastRun(stack);
        var lastUp = lastRun is { FinishedAt: { } finished } && lastRun.Commands.Any(c => c.StartsWith("pulumi up ", StringComparison.Ordinal)) ? finished : (DateTimeOffset?)null;
        var autoscaled = config.Pools.Where(p => p.Autoscale && p.ListsNodes).ToArray();
        var starters = ColdStartPool.Choose(autoscaled.Select(p => new ColdStartCandidate(p.Name, config.ModelOf(p).Id, catalog.FindSize(p.Size)?.MonthlyPrice, Size(p), p.Max)));
        foreach (var pool in autoscaled)
        {
            var key = (stack, pool.Name);
            var state = StateOf(stack, pool.Name);
            if (lastUp > (state.LastUpAt ?? DateTimeOffset.MinValue)) state = state with { LastUpAt = lastUp };
            AutoscaleDecision decision;
            if (paused.TryGetValue(pool.Name, out var since))
                decision = new AutoscaleDecision("hold", Size(pool), Size(pool), "paused", $"the autoscaler of this pool was paused from the console at {since:yyyy-MM-dd HH:mm:ss} UTC");
            else if (pending)
                decision = new AutoscaleDecision("hold", Size(pool), Size(pool), "pending", "a change to this stack is still being applied");
            else
            {
                var other = Price(config.Manager.Size) + config.Pools.Where(p => p != pool).Sum(p => Size(p) * Price(p.Size));
                var input = new AutoscaleInput(Size(pool), pool.Min, pool.Max, load.Pools.FirstOrDefault(p => p.Pool == pool.Name),
                    other, catalog.FindSize(pool.Size)?.MonthlyPrice, config.Policy.MaxMonthlyCost)
                {
                    ColdModel = ColdModel(config.ModelOf(pool).Id, pool.Name, starters, load),
                    PaidMinutesLeft = PaidMinutesLeft(stack, config, pool, nodes),
                };
                (decision, state) = _policy.Decide(state, input, time.GetUtcNow());
            }
            metrics.AutoscalerDecisions.WithLabels(stack, pool.Name, decision.Action, decision.Reason).Inc();
            if (decision.Changes || state.LastReason != decision.Reason)
                Log.Decision(log, stack, pool.Name, decision.Action, decision.From, decision.Target, $"{decision.Reason}: {decision.Detail}");
            _state[key] = state with { LastReason = decision.Reason };
            if (!decision.Changes) continue;
            var (op, _) = store.AcceptScale(new ScaleIntent(stack, pool.Name, "autoscaler", decision.Target, decision.Target, $"{decision.Action}: {decision.Reason}: {decision.Detail}"), null);
            Log.Accepted(log, op.Kind, op.Id, stack, pool.Name, op.Target, op.Requested, op.Source);
            metrics.DesiredNodes.WithLabels(stack, pool.Name).Set(decision.Target);
            coordinator.Wake(stack);
            changed.Add(decision);
        }
        return changed;
    }

    /// <summary>The model's load when <paramref name="pool"/> is the one chosen to start it from zero.</summary>
    private static GatewayModelLoad? ColdModel(string model, string pool, IReadOnlyDictionary<string, string> starters, GatewayLoad load) =>
        starters.TryGetValue(model, out var chosen) && chosen == pool
            ? load.Models?.FirstOrDefault(m => string.Equals(m.Model, model, StringComparison.Ordinal))
            : null;

    /// <summary>On Hetzner: minutes left in the paid hour of the node a step down would remove (as the planner picks it); else null (also when its creation time is unknown or in the future).</summary>
    private double? PaidMinutesLeft(string stack, FleetConfig config, PoolConfig pool, GatewayNodes nodes)
    {
        if (config.Cloud != CloudKind.Hetzner || ledger is null || pool.NodeIds.Count == 0) return null;
        var byName = nodes.Nodes.ToDictionary(n => n.Node, StringComparer.Ordinal);
        var added = ledger.AddedAt(stack, pool.Name);
        var now = time.GetUtcNow();
        var victim = VictimSelector.Choose(pool.NodeIds, 1, id => byName.GetValueOrDefault(options.NodeName(stack, pool.Name, id)), config.Cloud, added, now);
        // A creation time ahead of the clock (written while the clock ran fast) says nothing of the paid hour: unknown, as
        // for a node from git; counting it as a full hour would hold the node until the clock catches up.
        return victim.Count == 1 && added.TryGetValue(victim[0], out var at) && at <= now ? VictimSelector.MinutesLeftInPaidHour(added, victim[0], now) : null;
    }

    private void ReplaceDead(string stack, FleetConfig config, GatewayNodes nodes)
    {
        // Most nodes silent at once points at the gateway, not the nodes: replace nothing then.
        if (nodes.PartitionGuard) return;
        var byName = nodes.Nodes.ToDictionary(n => n.Node, StringComparer.Ordinal);
        foreach (var pool in config.Pools.Where(p => p.ListsNodes))
            foreach (var id in pool.NodeIds)
            {
                if (!byName.TryGetValue(options.NodeName(stack, pool.Name, id), out var node) || node.State != "dead" || node.SilenceSeconds < options.DeadGrace.TotalSeconds)
                    continue;
                var op = store.AcceptReplace(stack, pool.Name, id, $"gateway reports {node.Node} dead, silent for {node.SilenceSeconds:0} s (grace {options.DeadGrace.TotalSeconds:0} s)");
                if (op is null) continue;
                Log.ReplacementQueued(log, stack, pool.Name, id, node.SilenceSeconds, op.Id);
                metrics.Replacements.WithLabels(stack, pool.Name).Inc();
                coordinator.Wake(stack);
            }
    }
}
