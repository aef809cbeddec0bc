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
            [new PoolLoad("burst", 3, 4, 12, 9, 7, 9, 2400.5, 55.5), new PoolLoad("cpu", 0, 0, 0, 0, 0, 0, 0, 0)]);
        var json = JsonSerializer.Serialize(load, GatewayJson.Default.FleetLoad);
        var read = JsonSerializer.Deserialize(json, StacksJson.Default.GatewayLoad)!;
        Assert.Equal(3, read.ReadyNodes);
        Assert.Equal(7, read.QueueDepth);
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayPoolLoad("burst", 3, 4, 12, 9, 7, 9, 2400.5), read.Pools[0]);
    }

    [Fact]
    public void Reads_the_gateways_node_list()
    {
        var node = new NodeView("fleet-prod-burst-a1", "burst", "dead", "http://10.0.0.5:8081", "tiny", "00", true, "cpu", "0.1.0", 42,
            DateTimeOffset.UnixEpoch, 312.5, 4, 1, 2, 3, 10, 900, true, []);
        var json = JsonSerializer.Serialize(new NodeList(true, [node]), GatewayJson.Default.NodeList);
        var read = JsonSerializer.Deserialize(json, StacksJson.Default.GatewayNodes)!;
        Assert.True(read.PartitionGuard);
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayNode("fleet-prod-burst-a1", "burst", "dead", 312.5, 4, 1, 2, 3, true), read.Nodes.Single());
    }

    [Fact]
    public void Reads_the_gateways_drain_status()
    {
        var json = JsonSerializer.Serialize(new DrainStatus("fleet-prod-burst-a1", "draining", true, false, 3, 2, 1, 2), GatewayJson.Default.DrainStatus);
        var read = JsonSerializer.Deserialize(json, StacksJson.Default.GatewayDrainStatus)!;
        Assert.Equal(new Fleet.Stacks.Gateway.GatewayDrainStatus("fleet-prod-burst-a1", "draining", true, false, 3), read);
    }
}
