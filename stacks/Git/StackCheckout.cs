using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Fleet.Infra.Cli;
using Fleet.Infra.Configuration;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Scaling;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Git;

/// <summary>
/// Git mode for the stack writers: before each run the working copy goes to <c>origin/&lt;ref&gt;</c> and every served
/// stack's node lists are set back from the service's own truth — the lists it last wrote (<see cref="NodeListRecord"/>),
/// else the last deployed <c>pools</c> output, else git's — so settings change with git while node lists stay the
/// service's, even when <c>fleet sync</c> has not carried them into git yet. Runs of all stacks take turns (one clone).
/// </summary>
public sealed class StackCheckout
{
    private static readonly ConditionalWeakTable<StacksDatabase, StackCheckout> PerService = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StacksOptions _options;
    private readonly GitRepository _repository;
    private readonly NodeListRecord _record;
    private readonly NodeLedger _ledger;
    private readonly StackConfigLoader _configs;
    private readonly ILogger _log;

    public StackCheckout(StacksOptions options, GitOptions git, NodeListRecord record, NodeLedger ledger, StackConfigLoader configs, ILogger log)
    {
        (_options, Git, _record, _ledger, _configs, _log) = (options, git, record, ledger, configs, log);
        _repository = new GitRepository(git, options.ProjectDirectory);
    }

    public GitOptions Git { get; }

    /// <summary>The one checkout of a service (shared by its stack writers), or null without <c>FLEET_GIT_URL</c>.</summary>
    public static StackCheckout? For(StacksOptions options, IServiceProvider services) => options.Git is not { } git ? null
        : PerService.GetValue(services.GetRequiredService<StacksDatabase>(), db => new StackCheckout(options, git,
            new NodeListRecord(db, services.GetRequiredService<TimeProvider>()), services.GetRequiredService<NodeLedger>(),
            services.GetRequiredService<StackConfigLoader>(), services.GetRequiredService<ILoggerFactory>().CreateLogger("Fleet.Stacks.Git")));

    /// <summary>Waits for the working copy: one run (of any stack) at a time, from its sync to its end.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        return new Turn(_gate);
    }

    /// <summary>Whether the node lists of <paramref name="stack"/> are known beyond git's (recorded or deployed).</summary>
    public bool KnowsNodeLists(string stack) => _record.Get(stack) is not null || _ledger.Deployed(stack) is not null;

    /// <summary>
    /// Fetch, hard reset, clean; then the node lists of every served stack set from the service's truth. The caller
    /// holds its turn (<see cref="EnterAsync"/>).
    /// </summary>
    public async Task<GitUpdate> SyncAsync(CancellationToken ct)
    {
        foreach (var path in _repository.RemoveStaleLocks()) GitLog.StaleLock(_log, path);
        var update = await _repository.UpdateAsync(ct).ConfigureAwait(false);
        if (update.FetchError is { } error) GitLog.FetchFailed(_log, Git.Url, Git.Ref, update.Commit, error);
        foreach (var stack in _options.Stacks) Reapply(stack);
        return update;
    }

    /// <summary>Records the stack file's node lists as the service's truth (after an edit, an <c>up</c>, or a put-back).</summary>
    public void Record(string stack, FleetConfig config) => _record.Set(stack, config);

    private void Reapply(string stack)
    {
        var truth = _ledger.Deployed(stack)?.DeepClone().AsObject() ?? [];
        foreach (var (pool, lists) in _record.Get(stack) ?? []) truth[pool] = lists?.DeepClone();
        if (truth.Count == 0) return; // nothing known yet: git's lists stand (the first `up` is the operator's)
        var path = Path.Combine(_options.ProjectDirectory, $"Pulumi.{stack}.yaml");
        if (!File.Exists(path)) return;
        var (text, changes) = StackFileNodeSync.Apply(File.ReadAllText(path), _options.Project, truth, path);
        if (changes.Count == 0) return;
        _configs.Restore(stack, text);
        GitLog.Reapplied(_log, stack, string.Join("; ", changes));
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
