using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.Security;

/// <summary>Every number a node reports is checked: capacity clamped to what the stack gave, the impossible refused.</summary>
public sealed class HeartbeatNumbersTests
{
    [Fact]
    public async Task Claimed_capacity_is_clamped_and_the_load_summary_survives_int_max()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4], configure: o => o with { MaxSlotsPerNode = 6 });
        foreach (var agent in fleet.Agents)
        {
            using var response = await agent.BeatAsync(fleet.Gateway.Address, edit: j => j["slots"] = new JsonObject { ["total"] = int.MaxValue, ["busy"] = int.MaxValue });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var load = await fleet.AdminGetAsync("/admin/v1/load");

        Assert.Equal(12, load["slotsTotal"]!.GetValue<long>());
        Assert.Equal(12, load["slotsBusy"]!.GetValue<long>());
        Assert.Equal(6, (await fleet.AdminGetAsync("/admin/v1/nodes/a1"))["slotsTotal"]!.GetValue<int>());
        using var metrics = fleet.Gateway.Client(null);
        Assert.Contains("fleet_gateway_node_slots{node=\"a1\",pool=\"cpu\"} 6", await metrics.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_node_claiming_a_thousand_slots_gets_no_more_requests_than_the_stack_gave_it()
    {
        await using var fleet = await TestFleet.StartAsync([2], configure: o => o with { MaxSlotsPerNode = 2, QueueTimeout = TimeSpan.Zero });
        await fleet["a1"].BeatAsync(fleet.Gateway.Address, edit: j => j["slots"]!["total"] = 1000);
        var hold = fleet["a1"].Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var held = new[] { fleet.ChatAsync(), fleet.ChatAsync() };
        while (true)
        {
            var arrived = fleet["a1"].Arrived.Next;
            if (fleet["a1"].Served >= 2) break;
            await arrived.WaitAsync(TimeSpan.FromSeconds(20));
        }
        using var third = await fleet.ChatAsync();
        hold.SetResult();
        await Task.WhenAll(held);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal(2, fleet["a1"].Served);
    }

    [Theory]
    [InlineData("queue.depth", "-1")]
    [InlineData("queue.depth", "2147483647")]
    [InlineData("slots.total", "-1")]
    [InlineData("slots.busy", "-4")]
    [InlineData("slots.total", "1e10")]
    [InlineData("slots.total", "\"four\"")]
    [InlineData("ttftP95Ms", "1e308")]
    [InlineData("ttftP95Ms", "-1")]
    [InlineData("tokensPerSecond", "-0.5")]
    [InlineData("tokensPerSecond", "1e300")]
    [InlineData("sequence", "-7")]
    [InlineData("gpus[0].utilizationPercent", "250")]
    [InlineData("gpus[0].memoryTotalMiB", "-1")]
    public async Task An_impossible_number_is_400_naming_the_field_and_changes_nothing(string field, string value)
    {
        await using var fleet = await TestFleet.StartAsync([4]);

        using var response = await fleet["a1"].BeatAsync(fleet.Gateway.Address, edit: j => Set(j, field, JsonNode.Parse(value)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;
        Assert.Equal(("invalid_heartbeat", field), (error["code"]!.GetValue<string>(), error["param"]!.GetValue<string>()));
        Assert.Contains($"\"{field}\"", error["message"]!.GetValue<string>());
        Assert.DoesNotContain("System.", error["message"]!.GetValue<string>());
        var node = await fleet.AdminGetAsync("/admin/v1/nodes/a1");
        Assert.Equal((4, 0, 120.0), (node["slotsTotal"]!.GetValue<int>(), node["queueDepth"]!.GetValue<int>(), node["ttftP95Ms"]!.GetValue<double>()));
    }

    [Theory]
    [InlineData("model.id", 300)]
    [InlineData("version", 0)]
    public async Task Text_fields_must_be_one_short_line(string field, int length)
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var value = length > 0 ? new string('m', length) : "1.0\nNode a2 registered at http://8.8.8.8";

        using var response = await fleet["a1"].BeatAsync(fleet.Gateway.Address, edit: j => Set(j, field, JsonValue.Create(value)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!["param"]!.GetValue<string>());
    }

    // Sets a dotted path such as "gpus[0].utilizationPercent" in the heartbeat's JSON.
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        JsonNode parent = root;
        var parts = path.Split('.');
        foreach (var part in parts[..^1]) parent = Step(parent, part);
        var last = parts[^1];
        if (last.EndsWith(']')) Step(parent, last[..last.IndexOf('[')]).AsArray()[Index(last)] = value;
        else parent.AsObject()[last] = value;
    }

    private static JsonNode Step(JsonNode node, string part) =>
        part.EndsWith(']') ? node[part[..part.IndexOf('[')]]![Index(part)]! : node[part]!;

    private static int Index(string part) => int.Parse(part[(part.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
}
