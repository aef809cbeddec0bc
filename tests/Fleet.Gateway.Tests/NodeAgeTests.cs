using System.Net;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

/// <summary>
/// What the control service's console reads for node age and throughput: <c>registeredAt</c> per node in
/// <c>/admin/v1/nodes</c> and the <c>requestsForwarded</c> counter in <c>/admin/v1/load</c>.
/// </summary>
public sealed class NodeAgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_node_is_registered_at_its_first_heartbeat_and_again_when_its_agent_restarts()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);
        Assert.Equal(Start, await RegisteredAtAsync(fleet, "a1"));

        fleet.Gateway.Advance(TimeSpan.FromSeconds(5));
        await fleet.BeatAsync("a1");
        Assert.Equal(Start, await RegisteredAtAsync(fleet, "a1")); // a later heartbeat of the same process changes nothing

        fleet.Gateway.Advance(TimeSpan.FromSeconds(5));
        using var restarted = await fleet["a1"].BeatAsync(fleet.Gateway.Address, sequence: 1, instance: "second-process");
        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        Assert.Equal(Start.AddSeconds(10), await RegisteredAtAsync(fleet, "a1"));
        Assert.Equal(Start, await RegisteredAtAsync(fleet, "a2"));
    }

    [Fact]
    public async Task A_node_that_turned_dead_and_beats_again_keeps_its_registration()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4, 4]);
        for (var s = 1; s <= 50; s++)
        {
            fleet.Gateway.Advance(TimeSpan.FromSeconds(1));
            if (s % 5 == 0) await fleet.BeatAsync("a2", "a3");
        }
        Assert.Equal("dead", await fleet.NodeStateAsync("a1"));

        await fleet.BeatAsync("a1");

        Assert.Equal("ready", await fleet.NodeStateAsync("a1"));
        Assert.Equal(Start, await RegisteredAtAsync(fleet, "a1"));
    }

    [Fact]
    public async Task The_load_counts_every_request_forwarded_to_a_node_once_it_finished()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);
        Assert.Equal(0, (await fleet.AdminGetAsync("/admin/v1/load"))["requestsForwarded"]!.GetValue<long>());

        for (var i = 0; i < 3; i++)
        {
            using var response = await fleet.ChatAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The client may have the last byte before the gateway gives the node's place back: wait for that event.
        var registry = fleet.Gateway.App.Services.GetRequiredService<NodeRegistry>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (registry.RequestsForwarded < 3)
        {
            var freed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Freed() => freed.TrySetResult();
            registry.CapacityMayHaveChanged += Freed;
            try { if (registry.RequestsForwarded < 3) await freed.Task.WaitAsync(timeout.Token); }
            finally { registry.CapacityMayHaveChanged -= Freed; }
        }
        Assert.Equal(3, (await fleet.AdminGetAsync("/admin/v1/load"))["requestsForwarded"]!.GetValue<long>());
    }

    private static async Task<DateTimeOffset> RegisteredAtAsync(TestFleet fleet, string node) =>
        (await fleet.AdminGetAsync($"/admin/v1/nodes/{node}"))["registeredAt"]!.GetValue<DateTimeOffset>();
}
