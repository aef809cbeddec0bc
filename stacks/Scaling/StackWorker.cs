using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Fleet.Stacks.Gateway;
using Fleet.Stacks.Git;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Pulumi;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// The single writer of one stack. Requests only ring a doorbell; the worker then claims every accepted operation at
/// once and applies the latest desired sizes in one run, so N requests during a running <c>up</c> make one next <c>up</c>.
/// </summary>
public sealed class StackWorker
{
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly string _stack;
    private readonly StacksOptions _options;
    private readonly OperationStore _store;
    private readonly NodeLedger _ledger;
    private readonly StackConfigLoader _configs;
    private readonly PulumiStack _pulumi;
    private readonly GatewayAdminClient? _gateway;
    private readonly NodeDrainer _drainer;
    private readonly ScalePlanner _planner;
    private readonly StacksMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly OrphanGuard _orphans;
    private StackCheckout? _checkout; // git mode: the working copy is reset to git before every run
    private string? _run;
    private long _lastWake;
    private bool _reconciled;    // the start-up reconciliation is done
    private bool _deployedKnown; // this process has read the deployed pools output from pulumi
    private string? _restore;    // the stack file to put back if the run fails
    private bool _upStarted;     // an up ran over the current edits and has not succeeded: the stack may be partly applied
    private bool _owedBefore;    // an up was already owed when the run started (a failure must not clear that)
    private PlanGuard _guard = new([], []); // what this run's previews may plan (the pools it changes)

    public StackWorker(string stack, StacksOptions options, OperationStore store, NodeLedger ledger, StackConfigLoader configs, PulumiStack pulumi,
        GatewayAdminClient? gateway, StacksMetrics metrics, TimeProvider time, ILogger log, ChildLedger? children = null)
    {
        (_stack, _options, _store, _ledger, _configs, _pulumi, _gateway, _metrics, _time, _log) = (stack, options, store, ledger, configs, pulumi, gateway, metrics, time, log);
        _orphans = new OrphanGuard(stack, children, options.UpTimeout, TimeSpan.FromMilliseconds(200), time, log);
        _drainer = new NodeDrainer(gateway, time, options.DrainTimeout, options.DrainPoll);
        _planner = new ScalePlanner(ledger, options.NodeName, time);
        _pulumi.Running += argv =>
        {
            Log.Running(_log, string.Join(' ', argv));
            _metrics.PulumiCommands.WithLabels(_stack, argv[0]).Inc();
            if (_run is not null) _store.AppendCommand(_run, argv);
        };
    }

    public string Stack => _stack;

    /// <summary>Git mode (<c>FLEET_GIT_URL</c>): every run first brings the shared clone to git; set before <see cref="RunAsync"/>.</summary>
    public void UseCheckout(StackCheckout checkout) => _checkout = checkout;

    public void Wake()
    {
        Interlocked.Exchange(ref _lastWake, _time.GetTimestamp());
        _doorbell.Writer.TryWrite(true);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (await _doorbell.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            _doorbell.Reader.TryRead(out _);
            while (await QuietAsync(ct).ConfigureAwait(false))
            {
                if (_store.Claim(_stack) is { } claim)
                {
                    _metrics.PendingOperations.WithLabels(_stack).Set(_store.PendingCount(_stack));
                    await ApplyAsync(claim.Run.Id, claim.Operations, ct).ConfigureAwait(false);
                    _metrics.PendingOperations.WithLabels(_stack).Set(_store.PendingCount(_stack));
                    continue;
                }
                if (!_reconciled) await ReconcileAsync(ct).ConfigureAwait(false);
                break;
            }
        }
    }

    /// <summary>
    /// At start, with nothing claimed: settle what a killed process left (its <c>pulumi</c> children) and run an
    /// <c>up</c> if one is owed — the database says so, or the stack file's node lists differ from the deployed ones.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken ct)
    {
        _reconciled = true;
        string? reason;
        try
        {
            await _orphans.SettleAsync(ct).ConfigureAwait(false);
            using var turn = _checkout is null ? null : await _checkout.EnterAsync(ct).ConfigureAwait(false);
            if (_checkout is not null) await SyncCheckoutAsync(ct).ConfigureAwait(false);
            reason = await OwedAsync(_configs.Load(_stack), startup: true, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.WatchFailed(_log, _stack, $"reconciling at start: {e.Message}");
            return;
        }
        if (reason is not null) await ApplyAsync(_store.StartRun(_stack).Id, [], ct).ConfigureAwait(false);
    }

    /// <summary>Why an <c>up</c> is owed, or null when the deployed node lists are exactly the stack file's.</summary>
    private async Task<string?> OwedAsync(Fleet.Infra.Configuration.FleetConfig config, bool startup, CancellationToken ct)
    {
        if (_ledger.Owed(_stack) is { } owed) return owed;
        if (!_deployedKnown)
        {
            try
            {
                await RecordDeployedAsync(ct, rethrow: true).ConfigureAwait(false);
            }
            catch (PulumiCommandException e) when (e is not StackNotFoundException && e.Message.Contains("does not have output property", StringComparison.Ordinal))
            {
                if (startup) return null; // never deployed: the first `up` is the operator's, not a restart's
                return "nothing is deployed yet (the stack has no pools output)";
            }
            catch (PulumiCommandException e) when (e is not StackNotFoundException)
            {
                if (startup) { Log.WatchFailed(_log, _stack, $"reading the pools output at start: {e.Message}"); return null; }
                return $"the deployed pools could not be read: {e.Message}";
            }
            // At start only a difference that was seen (or a debt in the database) starts an up, not an unreadable output.
            if (!_deployedKnown && startup) return null;
        }
        return _ledger.Deployed(_stack) is { } deployed ? DeployedDiff.Of(config, deployed) : "no deployed pools output is recorded";
    }

    /// <summary>Waits until no request has arrived for the coalesce window (bounded by its maximum); always true.</summary>
    private async Task<bool> QuietAsync(CancellationToken ct)
    {
        if (_options.CoalesceWindow <= TimeSpan.Zero) return true;
        var max = _options.CoalesceMax > _options.CoalesceWindow ? _options.CoalesceMax : _options.CoalesceWindow;
        var first = _time.GetTimestamp();
        while (true)
        {
            var sinceLast = _time.GetElapsedTime(Interlocked.Read(ref _lastWake));
            var sinceFirst = _time.GetElapsedTime(first);
            if (sinceLast >= _options.CoalesceWindow || sinceFirst >= max) return true;
            var wait = _options.CoalesceWindow - sinceLast;
            await Task.Delay(wait < max - sinceFirst ? wait : max - sinceFirst, _time, ct).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(string runId, IReadOnlyList<OperationRecord> ops, CancellationToken ct)
    {
        _run = runId;
        var drained = new List<string>();
        var summary = new JsonObject();
        IDisposable? turn = null;
        (_restore, _upStarted, _owedBefore) = (null, false, true); // until read: a failure before then must not clear a debt
        try
        {
            await _orphans.SettleAsync(ct).ConfigureAwait(false);
            if (_checkout is not null)
            {
                // Held to the end of the run, its failure path included: no other stack's run resets the clone meanwhile.
                turn = await _checkout.EnterAsync(ct).ConfigureAwait(false);
                var update = await SyncCheckoutAsync(ct).ConfigureAwait(false);
                summary["commit"] = update.Commit;
                if (update.FetchError is { } fetchError) summary["fetchError"] = fetchError;
                GitLog.RunCommit(_log, _stack, runId, update.Commit, _checkout.Git.Url, _checkout.Git.Ref);
            }
            _owedBefore = _ledger.Owed(_stack) is not null;
            _restore = _configs.ReadText(_stack);
            var config = _configs.Load(_stack);
            var desired = _store.Desired(_stack);
            var replacements = ops.Where(o => o.Kind == OperationKinds.Replace).ToArray();
            var needsGateway = _gateway is not null && config.Pools.Any(p => p.ListsNodes && desired.TryGetValue(p.Name, out var d) && Math.Clamp(d, p.Min, p.Max) < p.NodeIds.Count);
            var view = needsGateway ? await _gateway!.NodesAsync(ct).ConfigureAwait(false) : null;
            var drains = ops.Where(o => o.Kind == OperationKinds.Drain).ToArray();
            var edits = ops.Count == 0 ? Array.Empty<PoolEdit>() : _planner.Plan(_stack, config, desired, replacements, view, _store.ReplacementNode, drains);
            // The preview before each up may add and remove workers of the pools this run edits; a reconciliation (no
            // edits: a crash or a failed up left the file ahead of the cloud) may do so in every pool the service manages.
            _guard = new PlanGuard(edits.Count > 0 ? edits.Select(e => e.Pool.Name) : config.Pools.Where(p => p.ListsNodes).Select(p => p.Name),
                config.Pools.Select(p => p.Name));
            foreach (var r in edits.SelectMany(e => e.Replace.Select(r => (e.Pool.Name, r))))
                foreach (var op in replacements.Where(o => o.Pool == r.Name && o.Node == r.r.Dead)) _store.SetReplacementNode(op.Id, r.r.New);
            Log.RunStarted(_log, runId, _stack, ops.Count, edits.Count == 0 ? "nothing to change" : string.Join("; ", edits));
            summary["plan"] = new JsonArray(edits.Select(e => (JsonNode)e.ToString()).ToArray());
            if (edits.Count > 0) await ExecuteAsync(runId, edits, drained, summary, ct).ConfigureAwait(false);
            else if (await OwedAsync(config, startup: false, ct).ConfigureAwait(false) is { } reason)
            {
                // Nothing to edit, but the file is ahead of what is deployed (a crash after the edit, or an up that
                // did not finish): the operations are done only when an up over the file succeeds.
                Log.Reconciling(_log, _stack, reason);
                summary["reconcile"] = reason;
                _ledger.MarkOwed(_stack, reason);
                summary["up"] = await UpAsync(runId, 1, ct).ConfigureAwait(false);
            }
            Finish(runId, ops, summary.ToJsonString(), null);
            Log.RunSucceeded(_log, runId, _stack, summary.ToJsonString());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the service is stopping: the run stays 'running' and is resumed at restart
        }
        catch (Exception e)
        {
            await _drainer.UndrainAsync(drained, CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (_restore is not null && _configs.ReadText(_stack) != _restore) _configs.Restore(_stack, _restore);
                if (_restore is not null) RecordNodeLists(afterFailure: true);
                // No up of this run started (a failure before it, or a preview the plan guard refused): the file is back
                // where the cloud is, so the debt this run wrote is dropped. After an up started, or when an up was owed
                // before this run (a crash, a failed up: the cloud may be half-changed), it stays owed; it is retried
                // only when asked (at start or by the next operation), each time previewed again.
                if (_restore is not null && !_upStarted && !_owedBefore) _ledger.ClearOwed(_stack);
            }
            catch (Exception restore) when (restore is IOException or UnauthorizedAccessException)
            {
                _ledger.MarkOwed(_stack, $"run {runId} failed and its stack file could not be put back: {restore.Message}");
            }
            Finish(runId, ops, summary.ContainsKey("commit") ? summary.ToJsonString() : null, e.Message);
            Log.RunFailed(_log, runId, _stack, e.Message);
        }
        finally
        {
            turn?.Dispose();
            _run = null;
            _reconciled = true;
            // The summary and progress are in the database; the event logs are not needed after the run.
            try { Directory.Delete(Path.Combine(Path.GetTempPath(), "fleet-stacks", runId), recursive: true); }
            catch (IOException) { }
        }
    }

    private async Task ExecuteAsync(string runId, IReadOnlyList<PoolEdit> edits, List<string> drained, JsonObject summary, CancellationToken ct)
    {
        // 1. Drain every node about to be removed; wait (bounded) for its in-flight work.
        var victims = edits.SelectMany(e => e.Remove.Select(id => _options.NodeName(_stack, e.Pool.Name, id))).ToArray();
        drained.AddRange(victims);
        var outcomes = await _drainer.DrainAsync(victims, ct).ConfigureAwait(false);
        foreach (var o in outcomes.Where(o => o.TimedOut)) Log.DrainTimedOut(_log, o.Node, o.Remaining);
        if (outcomes.Count > 0) summary["drained"] = JsonSerializer.SerializeToNode(outcomes.ToArray(), StacksJsonContext.Default.DrainOutcomeArray);

        // 2. Edit the node lists (removals from the end first so indices stay valid; additions appended), then up.
        //    The debt is written first: a crash anywhere from here on leaves an up owed, seen at restart.
        _ledger.MarkOwed(_stack, $"run {runId} edited the node lists");
        foreach (var edit in edits)
        {
            var ids = edit.Pool.NodeIds;
            foreach (var index in edit.Remove.Select(id => ids.ToList().IndexOf(id)).OrderDescending())
                await _pulumi.RemoveNodeAsync(_stack, edit.Index, index, ct).ConfigureAwait(false);
            await _pulumi.AppendNodesAsync(_stack, edit.Index, ids.Count - edit.Remove.Count, [.. edit.Add, .. edit.Replace.Where(r => !r.Added).Select(r => r.New)], ct).ConfigureAwait(false);
        }
        CheckEdited(edits);
        RecordNodeLists(); // before the up: a crash from here on deploys exactly these lists again
        // Hetzner bills a server from its creation, somewhere within the up: its start is the creation time the paid-hour
        // rule may rely on (never later than the real one; the up's end would be, by as long as the up took).
        var upStarted = _time.GetUtcNow();
        summary["up"] = await UpAsync(runId, 1, ct).ConfigureAwait(false);
        drained.Clear();
        foreach (var edit in edits)
        {
            _ledger.Added(_stack, edit.Pool.Name, [.. edit.Add, .. edit.Replace.Select(r => r.New)], upStarted);
            _ledger.Removed(_stack, edit.Pool.Name, edit.Remove);
        }

        // 3. Replacements: only once the new node is ready does the dead one go.
        var replaced = new List<(PoolEdit Edit, Replacement R)>();
        foreach (var edit in edits)
            foreach (var r in edit.Replace)
            {
                if (await _drainer.WaitReadyAsync(_options.NodeName(_stack, edit.Pool.Name, r.New), _options.ReadyTimeout, _options.ReadyPoll, ct).ConfigureAwait(false))
                    replaced.Add((edit, r));
                else
                    Log.ReplacementNotReady(_log, _stack, edit.Pool.Name, r.New, _options.ReadyTimeout.TotalSeconds, r.Dead);
            }
        var notReady = edits.Sum(e => e.Replace.Count) - replaced.Count;
        if (replaced.Count > 0)
        {
            // A replaced node may still serve (the console replaces live nodes too): drained like a scale-down's victims.
            var old = replaced.Select(x => _options.NodeName(_stack, x.Edit.Pool.Name, x.R.Dead)).ToArray();
            drained.AddRange(old);
            var oldOutcomes = await _drainer.DrainAsync(old, ct).ConfigureAwait(false);
            foreach (var o in oldOutcomes.Where(o => o.TimedOut)) Log.DrainTimedOut(_log, o.Node, o.Remaining);
            summary["replacedDrained"] = JsonSerializer.SerializeToNode(oldOutcomes.ToArray(), StacksJsonContext.Default.DrainOutcomeArray);
            var config = _configs.Load(_stack);
            _ledger.MarkOwed(_stack, $"run {runId} removed replaced nodes");
            foreach (var group in replaced.GroupBy(x => x.Edit.Index))
            {
                var ids = config.Pools[group.Key].NodeIds.ToList();
                foreach (var index in group.Select(x => ids.IndexOf(x.R.Dead)).Where(i => i >= 0).OrderDescending())
                    await _pulumi.RemoveNodeAsync(_stack, group.Key, index, ct).ConfigureAwait(false);
                _ledger.Removed(_stack, config.Pools[group.Key].Name, group.Select(x => x.R.Dead));
            }
            RecordNodeLists();
            summary["replaceUp"] = await UpAsync(runId, 2, ct).ConfigureAwait(false);
            drained.Clear();
        }
        if (notReady > 0)
            throw new InvalidOperationException($"{notReady} replacement node(s) not ready within {_options.ReadyTimeout.TotalSeconds:0} s; they stay in the pool and the dead node(s) were kept");
    }

    /// <summary>
    /// The CLI ignores a <c>config rm --path</c> index that is out of range, so the result is read back: the node lists
    /// must be exactly what the plan said before anything is deployed.
    /// </summary>
    private void CheckEdited(IReadOnlyList<PoolEdit> edits)
    {
        var config = _configs.Load(_stack);
        foreach (var edit in edits)
        {
            string[] expected = [.. edit.Pool.NodeIds.Except(edit.Remove), .. edit.Add, .. edit.Replace.Where(r => !r.Added).Select(r => r.New)];
            var actual = config.Pools[edit.Index].NodeIds;
            if (config.Pools[edit.Index].Name != edit.Pool.Name || !actual.SequenceEqual(expected, StringComparer.Ordinal))
                throw new InvalidOperationException(
                    $"after `pulumi config` pool {edit.Pool.Name} lists [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]; nothing was deployed (was Pulumi.{_stack}.yaml edited meanwhile?)");
        }
    }

    /// <summary>
    /// <c>pulumi up</c>, retried with exponential backoff while another update holds the stack. A lock left by the
    /// killed previous process's own <c>up</c> is cancelled once through the CLI instead. Success clears the owed up.
    /// Every attempt is preceded by <c>pulumi preview --json</c> (the CLI's <c>PreviewDigest</c>, pulumi/pulumi v3.259.0
    /// <c>pkg/display/json.go</c>); a plan <see cref="PlanGuard"/> refuses throws <see cref="PlanRefusedException"/>
    /// before <c>up</c> runs, so the run fails as one that never started its up (file put back, its own debt dropped).
    /// </summary>
    private async Task<JsonNode?> UpAsync(string runId, int phase, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var log = Path.Combine(Path.GetTempPath(), "fleet-stacks", runId, $"up{phase}-{attempt}", "eventlog.txt");
            var start = _time.GetTimestamp();
            try
            {
                // Preview first (every attempt: a conflicting update may have changed what up would do); refuse to
                // apply a plan that does more than a node-list change may.
                var plan = await _pulumi.PreviewAsync(_stack, _options.UpTimeout, ct).ConfigureAwait(false);
                if (_guard.Refused(plan) is { Count: > 0 } refused) throw new PlanRefusedException(refused);
                _upStarted = true;
                var summary = await _pulumi.UpAsync(_stack, log, _options.UpTimeout, p => _store.SetProgress(runId, JsonSerializer.Serialize(p, StacksJsonContext.Default.UpProgress)), ct).ConfigureAwait(false);
                _metrics.UpSeconds.WithLabels(_stack, "succeeded").Observe(_time.GetElapsedTime(start).TotalSeconds);
                _orphans.Settled();
                _ledger.ClearOwed(_stack);
                (_upStarted, _owedBefore, _restore) = (false, false, _configs.ReadText(_stack)); // deployed: a later failure keeps this file
                RecordNodeLists();
                await RecordDeployedAsync(ct).ConfigureAwait(false);
                return JsonSerializer.SerializeToNode(summary, StacksJsonContext.Default.UpSummary);
            }
            catch (ConcurrentUpdateException) when (_orphans.StaleLockHolder is { } holder)
            {
                Log.CancellingOrphan(_log, _stack, holder.Pid);
                try { await _pulumi.CancelAsync(_stack, ct).ConfigureAwait(false); }
                catch (PulumiCommandException e) { Log.WatchFailed(_log, _stack, $"pulumi cancel: {e.Message}"); }
                _orphans.Settled();
                attempt--; // not a retry of a conflict with someone else
            }
            catch (ConcurrentUpdateException) when (attempt <= _options.ConflictRetries)
            {
                var delay = TimeSpan.FromTicks(Math.Min(_options.ConflictBackoff.Ticks * (1L << Math.Min(attempt - 1, 20)), TimeSpan.FromMinutes(5).Ticks));
                Log.ConflictRetry(_log, _stack, attempt, _options.ConflictRetries, delay);
                _metrics.ConflictRetries.WithLabels(_stack).Inc();
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
            catch (PulumiCommandException)
            {
                _metrics.UpSeconds.WithLabels(_stack, "failed").Observe(_time.GetElapsedTime(start).TotalSeconds);
                throw;
            }
        }
    }

    /// <summary>
    /// Git mode: the working copy to <c>origin/&lt;ref&gt;</c> with the node lists set from the service's truth. The first
    /// run with nothing recorded reads the deployed <c>pools</c> output first, so git's (maybe stale) lists are used only
    /// for a stack that was never deployed.
    /// </summary>
    private async Task<GitUpdate> SyncCheckoutAsync(CancellationToken ct)
    {
        if (!_deployedKnown && !_checkout!.KnowsNodeLists(_stack))
        {
            try { await RecordDeployedAsync(ct, rethrow: true).ConfigureAwait(false); }
            catch (PulumiCommandException e) when (e is not StackNotFoundException) { /* never deployed or unreadable: OwedAsync says which */ }
        }
        return await _checkout!.SyncAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Git mode: keeps the stack file's node lists in the database, since the next run resets the file to git.</summary>
    private void RecordNodeLists(bool afterFailure = false)
    {
        if (_checkout is null) return;
        try
        {
            _checkout.Record(_stack, _configs.Load(_stack));
        }
        catch (Exception e) when (afterFailure && e is InvalidOperationException or IOException or Fleet.Infra.Configuration.ConfigSourceException)
        {
            // git's file does not read (the run failed for that): the record stays as it was.
        }
    }

    private async Task RecordDeployedAsync(CancellationToken ct, bool rethrow = false)
    {
        try
        {
            _deployedKnown = false;
            if (await _pulumi.PoolsOutputAsync(_stack, ct).ConfigureAwait(false) is { } pools)
            {
                _ledger.SetDeployed(_stack, pools);
                _deployedKnown = true;
            }
        }
        catch (PulumiCommandException e) when (!rethrow)
        {
            Log.WatchFailed(_log, _stack, $"reading the pools output after up: {e.Message}");
        }
    }

    private void Finish(string runId, IReadOnlyList<OperationRecord> ops, string? summary, string? error)
    {
        _store.Finish(runId, summary, error);
        foreach (var op in ops) _metrics.Operations.WithLabels(_stack, op.Kind, error is null ? "succeeded" : "failed").Inc();
        try
        {
            foreach (var pool in _configs.Load(_stack).Pools) _metrics.ConfiguredNodes.WithLabels(_stack, pool.Name).Set(pool.NodeIds.Count);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Fleet.Infra.Configuration.ConfigSourceException) { /* reported by the next run */ }
    }
}
