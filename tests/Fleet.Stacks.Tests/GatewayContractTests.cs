using System.Text.Json;
using Fleet.Gateway.Admin;
using GatewayJson = Fleet.Gateway.GatewayJsonContext;
using StacksJson = Fleet.Stacks.Gateway.GatewayJsonContext;

namespace Fleet.Stacks.Tests;

/// <summary>The service reads what the gateway really writes: its records, through its own JSON context.</summary>
public sealed class GatewayContractTests
{
    [Fact]
    public void Reads_the_gateways_load_document()
    {
        var load = new FleetLoad(3, 4, 12, 9, 7, 9, 2, false,
            [new PoolLoad("burst", 3, 4, 12, 9, 7, 9, 2400.5, 55.5), new PoolLoad("cpu", 0, 0, 0, 0, 0, 0, 0, 0)], RequestsForwarded: 1234);
        var json = JsonSerializer.Serialize(load, GatewayJson.Default.FleetLoad);
        var read = JsonSerializer.Deserialize(json, StacksJson.Default.GatewayLoad)!;
        Assert.Equal(3, read.ReadyNodes);
        Assert.Equal(7, read.QueueDepth);
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayPoolLoad("burst", 3, 4, 12, 9, 7, 9, 2400.5, 55.5), read.Pools[0]);
        Assert.Equal(1234, read.RequestsForwarded);
        Assert.Equal((0, null), (read.Held, read.Models)); // what an older gateway sends
    }

    [Fact]
    public void Reads_the_held_requests_per_model()
    {
        var load = new FleetLoad(2, 2, 6, 1, 3, 0, 2, false, [], Held: 2, Models:
            [new ModelLoad("llama-3.1-8b", true, 0, 0, 0, 0, 0, 2, 2), new ModelLoad("qwen2.5-0.5b", true, 2, 2, 6, 1, 0, 0, 0)]);
        var read = JsonSerializer.Deserialize(JsonSerializer.Serialize(load, GatewayJson.Default.FleetLoad), StacksJson.Default.GatewayLoad)!;
        Assert.Equal(2, read.Held);
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayModelLoad("llama-3.1-8b", true, 0, 0, 0, 0, 0, 2, 2), read.Models![0]);
        Assert.Equal([true, false], read.Models.Select(m => m.Cold));
    }

    [Fact]
    public void Reads_the_gateways_node_list()
    {
        var node = new NodeView("fleet-prod-burst-a1", "burst", "dead", "http://10.0.0.5:8081", "tiny", "00", true, "cpu", "0.1.0", 42,
            DateTimeOffset.UnixEpoch, 312.5, 4, 1, 2, 3, 10.5, 900, true, [new Fleet.Gateway.Registry.HeartbeatGpu("NVIDIA L4", 23034, 1200, 35)],
            new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var json = JsonSerializer.Serialize(new NodeList(true, [node]), GatewayJson.Default.NodeList);
        var read = JsonSerializer.Deserialize(json, StacksJson.Default.GatewayNodes)!;
        Assert.True(read.PartitionGuard);
        var n = read.Nodes.Single();
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayNode("fleet-prod-burst-a1", "burst", "dead", 312.5, 4, 1, 2, 3, true, "tiny", "cpu", "0.1.0", 10.5, 900, n.Gpus,
            new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero)), n);
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayGpu("NVIDIA L4", 23034, 1200, 35), n.Gpus!.Single());
    }

    [Fact]
    public void Reads_the_gateways_drain_status()
    {
        var json = JsonSerializer.Serialize(new DrainStatus("fleet-prod-burst-a1", "draining", true, false, 3, 2, 1, 2), GatewayJson.Default.DrainStatus);
        var read = JsonSerializer.Deserialize(json, StacksJson.Default.GatewayDrainStatus)!;
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayDrainStatus("fleet-prod-burst-a1", "draining", true, false, 3), read);
    }
}
