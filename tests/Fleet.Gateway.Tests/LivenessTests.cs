using System.Net;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class LivenessTests
{
    [Fact]
    public async Task A_killed_node_becomes_suspect_then_dead_and_gets_no_new_requests()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4, 4]);
        await fleet["a1"].StopAsync();

        await PassAsync(fleet, seconds: 15, beating: ["a2", "a3"]);
        Assert.Equal("ready", await fleet.NodeStateAsync("a1")); // exactly 3 intervals: not missed yet
        await PassAsync(fleet, seconds: 1, beating: ["a2", "a3"]);
        Assert.Equal("suspect", await fleet.NodeStateAsync("a1"));

        for (var i = 0; i < 6; i++)
        {
            var response = await fleet.ChatAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual("a1", await TestFleet.ServedByAsync(response));
        }

        await PassAsync(fleet, seconds: 30, beating: ["a2", "a3"]);
        Assert.Equal("dead", await fleet.NodeStateAsync("a1"));
        var load = await fleet.AdminGetAsync("/admin/v1/load");
        Assert.Equal(2, load["readyNodes"]!.GetValue<int>());
        Assert.False(load["partitionGuard"]!.GetValue<bool>());
    }

    [Fact]
    public async Task When_most_nodes_go_silent_at_once_dead_marking_freezes()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4, 4]);

        await PassAsync(fleet, seconds: 60, beating: []);

        var nodes = await fleet.AdminGetAsync("/admin/v1/nodes");
        Assert.True(nodes["partitionGuard"]!.GetValue<bool>());
        Assert.All(nodes["nodes"]!.AsArray(), n => Assert.Equal("suspect", n!["state"]!.GetValue<string>()));
        Assert.Contains(fleet.Gateway.Logs.Lines, l => l.Contains("Partition guard ON: 3 of 3 nodes"));
        using var http = fleet.Gateway.Client(null);
        Assert.Contains("fleet_gateway_partition_guard_active 1", await http.GetStringAsync("/metrics"));

        await fleet.BeatAsync();
        await PassAsync(fleet, seconds: 1, beating: []);
        nodes = await fleet.AdminGetAsync("/admin/v1/nodes");
        Assert.False(nodes["partitionGuard"]!.GetValue<bool>());
        Assert.All(nodes["nodes"]!.AsArray(), n => Assert.Equal("ready", n!["state"]!.GetValue<string>()));
        Assert.Contains("fleet_gateway_partition_guard_active 0", await http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_minority_going_silent_is_marked_dead_despite_the_guard()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4, 4, 4]);

        await PassAsync(fleet, seconds: 50, beating: ["a3", "a4"]); // 2 of 4 silent: not "most"

        Assert.Equal("dead", await fleet.NodeStateAsync("a1"));
        Assert.Equal("dead", await fleet.NodeStateAsync("a2"));
        Assert.Equal("ready", await fleet.NodeStateAsync("a3"));
    }

    [Fact]
    public async Task A_dead_node_that_beats_again_is_ready_again()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4, 4]);
        await PassAsync(fleet, seconds: 50, beating: ["a2", "a3"]);
        Assert.Equal("dead", await fleet.NodeStateAsync("a1"));

        await fleet.BeatAsync("a1");

        Assert.Equal("ready", await fleet.NodeStateAsync("a1"));
    }

    /// <summary>Moves the clock second by second, the named agents beating every 5 s as the contract says.</summary>
    private static async Task PassAsync(TestFleet fleet, int seconds, string[] beating)
    {
        for (var s = 1; s <= seconds; s++)
        {
            fleet.Gateway.Advance(TimeSpan.FromSeconds(1));
            if (s % 5 == 0 && beating.Length > 0) await fleet.BeatAsync(beating);
        }
    }
}
