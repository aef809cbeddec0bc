using Fleet.Stacks.Gateway;
using Microsoft.Extensions.Hosting;

namespace Fleet.Stacks.Console;

/// <summary>
/// Reads the gateway's <c>/admin/v1/load</c> at start and then every <see cref="ThroughputHistory.Interval"/>, and records its
/// request counter and the ready nodes' tokens per second in the <see cref="ThroughputHistory"/>. A call that fails, or an
/// answer it cannot use, records nothing (the chart shows a gap); without a gateway it does nothing.
/// </summary>
public sealed class ThroughputSampler(ThroughputHistory history, TimeProvider time, ILogger<ThroughputSampler> log, GatewayAdminClient? gateway = null) : BackgroundService
{
    /// <summary>One sample now; false when the gateway did not answer.</summary>
    public async Task<bool> SampleAsync(CancellationToken ct)
    {
        if (gateway is null) return false;
        try
        {
            var load = await gateway.LoadAsync(ct).ConfigureAwait(false);
            history.Record(load.RequestsForwarded, load.Pools.Sum(p => p.TokensPerSecond));
            return true;
        }
        // Anything but our own stop is a skipped sample: an exception escaping a hosted service stops the whole control
        // service, and a gateway's answer (no pools, a null pool) must not do that.
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            ConsoleLog.SampleFailed(log, e.Message);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (gateway is null) return;
        using var timer = new PeriodicTimer(history.Interval, time);
        try
        {
            do await SampleAsync(stoppingToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
