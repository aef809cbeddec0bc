using System.Net;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class DrainTests
{
    [Fact]
    public async Task Drain_stops_new_traffic_reaches_the_agent_and_reports_completion()
    {
        await using var fleet = await TestFleet.StartAsync([4, 2]);
        fleet["a2"].Hold = null;
        var held = await RoutingTests.HoldAsync(fleet, 1); // a1 has more free slots
        Assert.Equal(1, fleet["a1"].Served);

        var drain = await fleet.AdminPostAsync("/admin/v1/nodes/a1/drain");
        Assert.Equal(Json("""{"node":"a1","state":"draining","drainRequested":true,"drained":false,"remaining":1,"inFlight":1,"agentBusy":0,"agentQueueDepth":0}"""), drain.ToJsonString());
        Assert.True((await fleet["a1"].BeatOkAsync(fleet.Gateway.Address)).Drain);

        fleet["a2"].Hold = null;
        for (var i = 0; i < 3; i++) Assert.Equal("a2", await TestFleet.ServedByAsync(await fleet.ChatAsync()));

        await RoutingTests.ReleaseAsync(fleet, held);
        var done = await fleet.AdminGetAsync("/admin/v1/nodes/a1/drain");
        Assert.True(done["drained"]!.GetValue<bool>());
        Assert.Equal(0, done["remaining"]!.GetValue<int>());
    }

    [Fact]
    public async Task Drain_waits_for_work_the_agent_still_reports()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);
        fleet["a1"].ReportedBusy = 2;
        fleet["a1"].ReportedQueue = 1;
        await fleet.BeatAsync("a1");

        var drain = await fleet.AdminPostAsync("/admin/v1/nodes/a1/drain");
        Assert.False(drain["drained"]!.GetValue<bool>());
        Assert.Equal(3, drain["remaining"]!.GetValue<int>());

        fleet["a1"].ReportedBusy = 0;
        fleet["a1"].ReportedQueue = 0;
        fleet["a1"].State = "draining";
        await fleet.BeatAsync("a1");
        Assert.True((await fleet.AdminGetAsync("/admin/v1/nodes/a1"))["drainRequested"]!.GetValue<bool>());
        Assert.True((await fleet.AdminPostAsync("/admin/v1/nodes/a1/drain"))["drained"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Undrain_brings_the_node_back()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        await fleet.AdminPostAsync("/admin/v1/nodes/a1/drain");

        var undrain = await fleet.AdminPostAsync("/admin/v1/nodes/a1/undrain");

        Assert.Equal("ready", undrain["state"]!.GetValue<string>());
        Assert.False((await fleet["a1"].BeatOkAsync(fleet.Gateway.Address)).Drain);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync()).StatusCode);
    }

    [Fact]
    public async Task Admin_api_needs_the_admin_token()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var anonymous = fleet.Gateway.Client(null);
        using var client = fleet.Client(); // an API key is not the admin token

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/v1/nodes")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/admin/v1/nodes/a1/drain", null)).StatusCode);
        Assert.False((await fleet["a1"].BeatOkAsync(fleet.Gateway.Address)).Drain); // the refused drain did nothing
    }

    [Fact]
    public async Task Load_summarises_ready_nodes_slots_queue_and_ttft_per_pool()
    {
        await using var fleet = await TestFleet.StartAsync([4, 2]);
        fleet["a2"].ReportedBusy = 1;
        fleet["a2"].ReportedQueue = 3;
        await fleet.BeatAsync("a2");

        var load = await fleet.AdminGetAsync("/admin/v1/load");

        Assert.Equal(Json("""
            {"readyNodes":2,"nodes":2,"slotsTotal":6,"slotsBusy":1,"queueDepth":3,"inFlight":0,"waiting":0,"partitionGuard":false,
             "pools":[{"pool":"cpu","readyNodes":2,"nodes":2,"slotsTotal":6,"slotsBusy":1,"queueDepth":3,"inFlight":0,"ttftP95Ms":120,"tokensPerSecond":85}],
             "held":0,
             "models":[{"model":"tiny","configured":false,"readyNodes":2,"nodes":2,"slotsTotal":6,"slotsBusy":1,"inFlight":0,"waiting":0,"held":0}],
             "requestsForwarded":0}
            """), load.ToJsonString());
    }

    private static string Json(string json) => JsonNode.Parse(json)!.ToJsonString();
}
