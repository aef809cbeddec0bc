using Fleet.Infra.Configuration;
using Fleet.Stacks.Gateway;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Scaling;

namespace Fleet.Stacks.Console;

/// <summary>Builds <see cref="ConsoleState"/> from the same views <c>GET /v1/stacks</c> and <c>/v1/operations</c> answer, and the gateway's admin API.</summary>
public sealed class ConsoleStateReader(StackCoordinator coordinator, StackConfigLoader configs, OperationStore store, NodeLedger ledger,
    ConsoleOperationLog log, ConsoleToken token, TimeProvider time, StacksOptions options, ThroughputHistory throughput, GatewayAdminClient? gateway = null)
{
    /// <summary>The console's state now: stacks, the gateway's view (or why not), recent operations, throughput history.</summary>
    public async Task<ConsoleState> ReadAsync(CancellationToken ct)
    {
        var stacks = coordinator.Stacks.Select(Stack).ToArray();
        return new ConsoleState(time.GetUtcNow(), token.Configured, stacks, await GatewayAsync(ct), log.Recent(), throughput.Read());
    }

    private ConsoleStack Stack(string stack)
    {
        var paused = store.AutoscalePaused(stack).Keys.Order(StringComparer.Ordinal).ToArray();
        try
        {
            var view = StacksEndpoints.StackViewOf(stack, configs, store, ledger);
            var nodes = view.Pools.Where(p => p.Managed).SelectMany(p => p.Configured.Select(id => new ConsoleNode(p.Pool, id, options.NodeName(stack, p.Pool, id)))).ToArray();
            return new ConsoleStack(stack, view, null, nodes, paused);
        }
        catch (Exception e) when (e is InvalidOperationException or ConfigSourceException or IOException)
        {
            return new ConsoleStack(stack, null, e.Message, [], paused);
        }
    }

    private async Task<ConsoleGateway> GatewayAsync(CancellationToken ct)
    {
        if (gateway is null) return new ConsoleGateway(false, null, null, "no gateway: set FLEET_GATEWAY_URL and FLEET_GATEWAY_TOKEN_FILE to see load and nodes");
        try
        {
            var load = gateway.LoadAsync(ct);
            var nodes = gateway.NodesAsync(ct);
            return new ConsoleGateway(true, await load, await nodes, null);
        }
        catch (Exception e) when (e is GatewayException or HttpRequestException or System.Text.Json.JsonException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return new ConsoleGateway(true, null, null, $"the gateway did not answer: {e.Message}");
        }
    }
}
