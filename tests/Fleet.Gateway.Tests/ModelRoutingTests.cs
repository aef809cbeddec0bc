using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class ModelRoutingTests
{
    [Fact]
    public async Task Each_request_goes_to_a_node_serving_its_model()
    {
        await using var fleet = await TwoModelsAsync([new TestKey("team-a")]);

        var big = new List<string>();
        var tiny = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            big.Add(await TestFleet.ServedByAsync(await fleet.ChatAsync(model: "big")));
            tiny.Add(await TestFleet.ServedByAsync(await fleet.ChatAsync(model: "tiny")));
        }

        Assert.Equal(["a2", "a2", "a2"], big);
        Assert.Equal(["a1", "a1", "a1"], tiny);
        Assert.Equal(["big", "big", "big"], fleet["a2"].Received);
    }

    [Fact]
    public async Task Models_lists_the_fleets_models_and_an_unknown_model_is_404()
    {
        await using var fleet = await TwoModelsAsync([new TestKey("team-a")]);
        using var http = fleet.Client();

        var models = await http.GetFromJsonAsync<JsonNode>("/v1/models");
        var unknown = await fleet.ChatAsync(model: "nope");

        Assert.Equal(["big", "tiny"], models!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        await AuthTests.AssertErrorAsync(unknown, HttpStatusCode.NotFound, "model_not_found");
        Assert.Equal(0, fleet["a1"].Served + fleet["a2"].Served);
    }

    [Fact]
    public async Task A_keys_allow_list_narrows_the_models_it_sees_and_may_use()
    {
        var narrow = new TestKey("narrow", Models: ["big"]);
        await using var fleet = await TwoModelsAsync([narrow]);
        using var http = fleet.Client(narrow);

        var models = await http.GetFromJsonAsync<JsonNode>("/v1/models");

        Assert.Equal(["big"], models!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        await AuthTests.AssertErrorAsync(await fleet.ChatAsync(narrow, model: "tiny"), HttpStatusCode.Forbidden, "model_not_allowed");
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(narrow, model: "big")).StatusCode);
        Assert.Equal(0, fleet["a1"].Served);
    }

    [Fact]
    public async Task Metrics_and_the_admin_load_carry_the_model()
    {
        await using var fleet = await TwoModelsAsync([new TestKey("team-a")]);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(model: "big")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(model: "big")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(model: "tiny")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fleet.ChatAsync(model: "nope")).StatusCode);

        using var http = fleet.Gateway.Client(null);
        var metrics = await http.GetStringAsync("/metrics");
        var load = await fleet.AdminGetAsync("/admin/v1/load");

        Assert.Contains("fleet_gateway_model_requests_total{model=\"big\",code=\"200\"} 2", metrics);
        Assert.Contains("fleet_gateway_model_requests_total{model=\"tiny\",code=\"200\"} 1", metrics);
        Assert.DoesNotContain("model=\"nope\"", metrics); // a name a client made up never becomes a series
        var models = load["models"]!.AsArray();
        Assert.Equal(["big", "tiny"], models.Select(m => m!["model"]!.GetValue<string>()));
        Assert.All(models, m => Assert.Equal(1, m!["readyNodes"]!.GetValue<int>()));
        Assert.Equal(4, models[0]!["slotsTotal"]!.GetValue<long>());
        Assert.Equal(2, load["readyNodes"]!.GetValue<int>()); // the fields the autoscaler already reads stay
    }

    private static async Task<TestFleet> TwoModelsAsync(TestKey[] keys)
    {
        var fleet = await TestFleet.StartAsync([4, 4], keys); // a1 serves tiny
        fleet["a2"].Model = "big";
        await fleet.BeatAsync();
        return fleet;
    }
}
