using Fleet.Stacks.Gateway;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// Drains nodes through the gateway before their ids are removed, polling until in-flight work is gone or the bound
/// passes (then removal goes ahead: a node that never finishes must not block scale-down forever).
/// Without a gateway there is nothing to ask: nodes are removed as they are.
/// </summary>
public sealed class NodeDrainer(GatewayAdminClient? gateway, TimeProvider time, TimeSpan timeout, TimeSpan poll)
{
    public async Task<IReadOnlyList<DrainOutcome>> DrainAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        if (gateway is null) return nodes.Select(n => new DrainOutcome(n, false, false, 0, false)).ToArray();
        return await Task.WhenAll(nodes.Select(n => DrainOneAsync(gateway, n, ct))).ConfigureAwait(false);
    }

    /// <summary>Best effort: lets nodes take work again after a scale-down that did not happen.</summary>
    public async Task UndrainAsync(IEnumerable<string> nodes, CancellationToken ct)
    {
        if (gateway is null) return;
        foreach (var node in nodes)
        {
            try { await gateway.UndrainAsync(node, ct).ConfigureAwait(false); }
            catch (Exception e) when (e is HttpRequestException or GatewayException) { /* the gateway forgets drain flags of removed nodes anyway */ }
        }
    }

    /// <summary>Waits until the gateway reports <paramref name="node"/> ready; false after <paramref name="limit"/>.</summary>
    public async Task<bool> WaitReadyAsync(string node, TimeSpan limit, TimeSpan every, CancellationToken ct)
    {
        if (gateway is null) return true;
        var start = time.GetTimestamp();
        while (true)
        {
            try
            {
                var nodes = await gateway.NodesAsync(ct).ConfigureAwait(false);
                if (nodes.Nodes.Any(n => n.Node == node && n.State == "ready")) return true;
            }
            catch (Exception e) when (e is HttpRequestException or GatewayException) { /* keep waiting within the bound */ }
            if (time.GetElapsedTime(start) >= limit) return false;
            await Task.Delay(every, time, ct).ConfigureAwait(false);
        }
    }

    private async Task<DrainOutcome> DrainOneAsync(GatewayAdminClient client, string node, CancellationToken ct)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            var status = await client.DrainAsync(node, ct).ConfigureAwait(false);
            if (status is null) return new DrainOutcome(node, true, false, 0, false);
            if (status.Drained) return new DrainOutcome(node, true, true, 0, false);
            if (time.GetElapsedTime(start) >= timeout) return new DrainOutcome(node, false, true, status.Remaining, true);
            await Task.Delay(poll, time, ct).ConfigureAwait(false);
        }
    }
}
