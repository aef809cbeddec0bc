using Fleet.Stacks.Git;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// Starts one <see cref="StackWorker"/> per served stack. At start it first settles what a previous process left
/// behind: interrupted operations are resumed (or failed with the reason), and every worker is woken once.
/// </summary>
public sealed class StackCoordinator(StacksOptions options, OperationStore store, IReadOnlyDictionary<string, StackWorker> workers, ILogger<StackCoordinator> log,
    IServiceProvider? services = null) : BackgroundService
{
    /// <summary>Rings the stack's doorbell; false when this instance does not serve the stack.</summary>
    public bool Wake(string stack)
    {
        if (!workers.TryGetValue(stack, out var worker)) return false;
        worker.Wake();
        return true;
    }

    public bool Serves(string stack) => workers.ContainsKey(stack);

    public IEnumerable<string> Stacks => workers.Keys.Order(StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Git mode: one clone for every served stack, so their writers share one checkout (and take turns on it).
        if (services is not null && StackCheckout.For(options, services) is { } checkout)
            foreach (var worker in workers.Values) worker.UseCheckout(checkout);
        foreach (var op in store.RecoverInterrupted(options.Stacks.ToArray(), options.MaxResumes))
            Log.Recovered(log, op.Id, op.Stack, "unfinished", op.State, op.Error);
        foreach (var worker in workers.Values) worker.Wake();
        return Task.WhenAll(workers.Values.Select(w => RunWorkerAsync(w, stoppingToken)));
    }

    private static async Task RunWorkerAsync(StackWorker worker, CancellationToken ct)
    {
        await Task.Yield();
        try { await worker.RunAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
