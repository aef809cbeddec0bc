using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Stacks.Console;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests.Console;

/// <summary>The console's routes over HTTP against the running service, the fake CLI and the fake gateway.</summary>
public sealed class ConsoleApiTests : IAsyncLifetime
{
    private ConsoleHost _host = null!;

    public async Task InitializeAsync() => _host = await ConsoleHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_page_is_served_with_a_policy_that_allows_no_inline_script()
    {
        using var response = await _host.Client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ConsoleAssets.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/console/console.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/console/console.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/console/console.css")).StatusCode);
    }

    [Fact]
    public async Task The_state_reuses_the_stack_view_the_gateways_nodes_and_the_operation_views()
    {
        _host.Gateway.Node("fleet-prod-burst-a1", "burst").SlotsBusy = 3;
        var state = (await _host.Client.GetFromJsonAsync<JsonObject>("/console/api/state"))!;
        Assert.True(state["actionsEnabled"]!.GetValue<bool>());
        var burst = state["stacks"]![0]!["view"]!["pools"]!.AsArray().Single(p => p!["pool"]!.GetValue<string>() == "burst")!;
        burst.AsObject().Remove("deployed"); // null until the start-up reconciliation has read the pools output
        Assert.Equal("""{"pool":"burst","managed":true,"autoscale":true,"min":1,"max":6,"desired":null,"configured":["a1","a2"]}""", burst.ToJsonString());
        var node = state["gateway"]!["nodes"]!["nodes"]![0]!;
        Assert.Equal(("fleet-prod-burst-a1", "ready", 3), (node["node"]!.GetValue<string>(), node["state"]!.GetValue<string>(), node["slotsBusy"]!.GetValue<int>()));
        Assert.Equal(1, state["gateway"]!["load"]!["pools"]![0]!["readyNodes"]!.GetValue<int>());
        Assert.Empty(state["operations"]!.AsArray());
    }

    [Fact]
    public async Task The_state_carries_each_nodes_heartbeat_figures_as_the_gateway_reports_them()
    {
        var gpu = _host.Gateway.Node("fleet-prod-burst-a1", "burst");
        (gpu.Backend, gpu.TokensPerSecond, gpu.TtftP95Ms) = ("cuda", 41.5, 180);
        gpu.Gpus.Add(("NVIDIA L4", 23034, 1200));
        _host.Gateway.Node("fleet-prod-burst-a2", "burst", state: "loading");
        var nodes = (await _host.Client.GetFromJsonAsync<JsonObject>("/console/api/state"))!["gateway"]!["nodes"]!["nodes"]!.AsArray();
        string Figures(JsonNode n) => string.Join(" ", new[] { "model", "backend", "version", "tokensPerSecond", "ttftP95Ms", "gpus" }.Select(k => n[k]?.ToJsonString() ?? "absent"));
        Assert.Equal(
        [
            """
            "tiny" "cuda" "0.1.0" 41.5 180 [{"name":"NVIDIA L4","memoryTotalMiB":23034,"memoryUsedMiB":1200,"utilizationPercent":35}]
            """,
            """
            "tiny" "cpu" "0.1.0" 0 300 []
            """,
        ], nodes.Select(n => Figures(n!)));
    }

    [Fact]
    public async Task The_state_carries_each_nodes_registration_and_the_throughput_the_sampler_recorded()
    {
        _host.Gateway.Node("fleet-prod-burst-a1", "burst").RegisteredAt = new DateTimeOffset(2026, 11, 25, 7, 30, 0, TimeSpan.Zero);
        var sampler = _host.App.Services.GetRequiredService<ThroughputSampler>();
        _host.Gateway.RequestsForwarded = 100;
        Assert.True(await sampler.SampleAsync(default));
        _host.Gateway.RequestsForwarded = 160;
        Assert.True(await sampler.SampleAsync(default));

        var state = (await _host.Client.GetFromJsonAsync<JsonObject>("/console/api/state"))!;

        Assert.Equal("2026-11-25T07:30:00+00:00", state["gateway"]!["nodes"]!["nodes"]![0]!["registeredAt"]!.GetValue<string>());
        Assert.Equal(10, state["throughput"]!["intervalSeconds"]!.GetValue<double>());
        var last = state["throughput"]!["points"]!.AsArray()[^1]!;
        Assert.True(last["requestsPerSecond"]!.GetValue<double>() > 0, last.ToJsonString()); // 60 requests over the time between the two samples
        Assert.Equal(10, last["tokensPerSecond"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("""{"readyNodes":0,"nodes":0,"queueDepth":0,"partitionGuard":false,"requestsForwarded":5}""")] // no pools
    [InlineData("""{"readyNodes":0,"nodes":0,"queueDepth":0,"partitionGuard":false,"pools":[null],"requestsForwarded":5}""")]
    public async Task A_load_answer_the_sampler_cannot_use_is_a_skipped_sample_not_a_crash(string load)
    {
        // The sampler is a hosted service: an exception escaping it stops the whole control service (webhooks included).
        var sampler = _host.App.Services.GetRequiredService<ThroughputSampler>();
        _host.Gateway.LoadOverride = load;

        Assert.False(await sampler.SampleAsync(default));

        _host.Gateway.LoadOverride = null;
        Assert.True(await sampler.SampleAsync(default));
    }

    [Fact]
    public async Task Scale_with_the_token_records_a_console_operation_that_the_writer_applies_with_up()
    {
        using var response = await _host.ScaleAsync("burst", 3, origin: _host.Url.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();
        Assert.Equal($"/v1/operations/{id}", response.Headers.Location!.ToString());

        var service = new TestServiceClient(_host.Client);
        var op = await service.FinishedAsync(id);
        Assert.Equal(("scale", "console", "succeeded", 3), (op["kind"]!.GetValue<string>(), op["source"]!.GetValue<string>(), op["state"]!.GetValue<string>(), op["target"]!.GetValue<int>()));
        Assert.Contains(_host.Project.Calls(), c => c.Argv[0] == "up");
        Assert.Equal(["a1", "a2", "a3"], _host.Project.DeployedNodes("burst"));
        var logged = (await _host.Client.GetFromJsonAsync<JsonObject>("/console/api/state"))!["operations"]![0]!["operation"]!;
        Assert.Equal(id, logged["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scale_is_clamped_like_the_webhook_and_a_repeated_request_id_returns_the_first_operation()
    {
        using var first = await _host.ScaleAsync("burst", 50, requestId: "0b7d2c1e-5f7a-4c55-9a39-4b0c7e1d2f10");
        using var again = await _host.ScaleAsync("burst", 50, requestId: "0b7d2c1e-5f7a-4c55-9a39-4b0c7e1d2f10");
        var a = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var b = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((6, true, false), (a["target"]!.GetValue<int>(), a["clamped"]!.GetValue<bool>(), a["duplicate"]!.GetValue<bool>()));
        Assert.Equal((a["operationId"]!.GetValue<string>(), true), (b["operationId"]!.GetValue<string>(), b["duplicate"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData(null, null, 401, "invalid_token")]
    [InlineData("wrong-token-wrong-token-wrong-token-wrong", null, 401, "invalid_token")]
    [InlineData(ConsoleHost.Token, "https://evil.example", 403, "cross_origin")]
    public async Task Refused_actions_record_nothing_and_run_nothing(string? token, string? origin, int status, string code)
    {
        using var response = await _host.ScaleAsync("burst", 4, token: token, origin: origin);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        Assert.Equal(0, await _host.OperationCountAsync());
        Assert.Empty(_host.Project.Calls());
    }

    [Fact]
    public async Task A_cross_origin_html_form_post_is_refused()
    {
        using var form = new HttpRequestMessage(HttpMethod.Post, "/console/api/scale")
        {
            Content = new StringContent("""{"stack":"prod","pool":"burst","nodes":5}""", Encoding.UTF8, "text/plain"),
        };
        form.Headers.Add("Origin", "null");
        form.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await _host.Client.SendAsync(form);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await _host.OperationCountAsync());
    }

    [Fact]
    public async Task A_pool_given_by_count_is_refused_naming_the_field()
    {
        using var response = await _host.ScaleAsync("cpu", 2);
        Assert.Equal(422, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("pool_not_managed", "pool"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
    }
}
