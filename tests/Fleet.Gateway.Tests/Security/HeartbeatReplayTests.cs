using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.Security;

/// <summary>A lower or repeated sequence is a replay unless the node provably restarted.</summary>
public sealed class HeartbeatReplayTests
{
    [Fact]
    public async Task A_replayed_heartbeat_is_refused_while_the_node_beats()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var a1 = fleet["a1"];
        await a1.BeatOkAsync(fleet.Gateway.Address);
        var last = a1.Sequence;
        a1.State = "draining";

        using var same = await a1.BeatAsync(fleet.Gateway.Address, sequence: last);
        using var older = await a1.BeatAsync(fleet.Gateway.Address, sequence: 1);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (same.StatusCode, older.StatusCode));
        var error = (await older.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;
        Assert.Equal(("stale_heartbeat", "sequence"), (error["code"]!.GetValue<string>(), error["param"]!.GetValue<string>()));
        var node = await fleet.AdminGetAsync("/admin/v1/nodes/a1");
        Assert.Equal(("ready", last), (node["state"]!.GetValue<string>(), node["sequence"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_lower_sequence_is_a_restart_once_the_old_process_went_silent()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var a1 = fleet["a1"];
        await a1.BeatOkAsync(fleet.Gateway.Address);

        fleet.Gateway.Advance(TimeSpan.FromSeconds(16)); // past the suspect window: the old process stopped beating
        using var restarted = await a1.BeatAsync(fleet.Gateway.Address, sequence: 1);

        Assert.Equal(HttpStatusCode.OK, restarted.StatusCode);
        Assert.Equal(1, (await fleet.AdminGetAsync("/admin/v1/nodes/a1"))["sequence"]!.GetValue<long>());
        Assert.Contains("Node a1 restarted (sequence 1 after 2)", string.Join("\n", fleet.Gateway.Logs.Lines));
    }

    [Fact]
    public async Task A_new_instance_id_is_a_restart_at_once_and_the_old_one_is_not()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var a1 = fleet["a1"];
        using var first = await a1.BeatAsync(fleet.Gateway.Address, sequence: 50, instance: "boot-1");

        using var replay = await a1.BeatAsync(fleet.Gateway.Address, sequence: 10, instance: "boot-1");
        using var restart = await a1.BeatAsync(fleet.Gateway.Address, sequence: 1, instance: "boot-2");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.OK), (first.StatusCode, replay.StatusCode, restart.StatusCode));
        Assert.Equal(1, (await fleet.AdminGetAsync("/admin/v1/nodes/a1"))["sequence"]!.GetValue<long>());
    }
}
