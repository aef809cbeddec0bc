using System.Net;
using System.Net.Sockets;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class RoutingTests
{
    [Fact]
    public async Task Requests_go_to_the_node_with_most_free_slots()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);
        fleet["a2"].ReportedBusy = 3; // load from elsewhere: a2 has one free slot
        await fleet.BeatAsync();
        var inFlight = await HoldAsync(fleet, 4);

        // a1 takes requests while it has more room; at one free slot each, the tie goes to the less busy a2.
        Assert.Equal(3, fleet["a1"].Served);
        Assert.Equal(1, fleet["a2"].Served);
        await ReleaseAsync(fleet, inFlight);
    }

    [Fact]
    public async Task A_burst_between_heartbeats_spreads_over_equal_nodes()
    {
        await using var fleet = await TestFleet.StartAsync([2, 2, 2]);

        var inFlight = await HoldAsync(fleet, 6);

        Assert.All(fleet.Agents, a => Assert.Equal(2, a.Served));
        await ReleaseAsync(fleet, inFlight);
    }

    [Fact]
    public async Task With_no_free_slot_a_request_waits_then_gets_503_with_Retry_After()
    {
        await using var fleet = await TestFleet.StartAsync([1]);
        var inFlight = await HoldAsync(fleet, 1);

        var waiting = fleet.ChatAsync();
        await fleet.Gateway.WaitingAsync(1);
        fleet.Gateway.Advance(TimeSpan.FromSeconds(10));
        var refused = await waiting;

        await AuthTests.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "no_capacity");
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(1, fleet["a1"].Served);
        await ReleaseAsync(fleet, inFlight);
    }

    [Fact]
    public async Task A_waiting_request_is_served_when_a_slot_frees()
    {
        await using var fleet = await TestFleet.StartAsync([1]);
        var inFlight = await HoldAsync(fleet, 1);

        var waiting = fleet.ChatAsync();
        await fleet.Gateway.WaitingAsync(1);
        await ReleaseAsync(fleet, inFlight);

        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode);
        Assert.Equal(2, fleet["a1"].Served);
    }

    [Fact]
    public async Task Waiting_requests_are_served_first_come_first_served()
    {
        await using var fleet = await TestFleet.StartAsync([1]);
        var inFlight = await HoldAsync(fleet, 1);

        var second = fleet.ChatAsync(content: "second");
        await fleet.Gateway.WaitingAsync(1);
        var third = fleet.ChatAsync(content: "third");
        await fleet.Gateway.WaitingAsync(2);
        await ReleaseAsync(fleet, inFlight);

        Assert.Equal(HttpStatusCode.OK, (await second).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await third).StatusCode);
        Assert.Equal(["hi", "second", "third"], fleet["a1"].Prompts);
    }

    [Fact]
    public async Task A_waiting_request_is_served_when_a_node_becomes_ready()
    {
        await using var fleet = await TestFleet.StartAsync([1, 1]);
        fleet["a2"].State = "loading";
        await fleet.BeatAsync("a2");
        var inFlight = await HoldAsync(fleet, 1);

        var waiting = fleet.ChatAsync();
        await fleet.Gateway.WaitingAsync(1);
        fleet["a2"].Hold = null;
        fleet["a2"].State = "ready";
        await fleet.BeatAsync("a2");

        var response = await waiting;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a2", await TestFleet.ServedByAsync(response));
        await ReleaseAsync(fleet, inFlight);
    }

    [Fact]
    public async Task A_connection_failure_is_retried_on_another_node()
    {
        await using var fleet = await TestFleet.StartAsync([4, 8]);
        // a2 reports the most free slots but its endpoint refuses connections.
        await fleet["a2"].BeatAsync(fleet.Gateway.Address, endpoint: ClosedPort());

        var first = await fleet.ChatAsync();
        var second = await fleet.ChatAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("a1", await TestFleet.ServedByAsync(first));
        Assert.Equal("a1", await TestFleet.ServedByAsync(second));
        Assert.Equal(0, fleet["a2"].Served);
        using var http = fleet.Gateway.Client(null);
        Assert.Contains("fleet_gateway_node_requests_total{node=\"a2\",pool=\"cpu\",outcome=\"connect_error\"} 1", await http.GetStringAsync("/metrics"));
    }

    /// <summary>Sends <paramref name="count"/> chat requests one after another, each held by its node once it arrives.</summary>
    internal static async Task<List<Task<HttpResponseMessage>>> HoldAsync(TestFleet fleet, int count)
    {
        foreach (var agent in fleet.Agents) agent.Hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < count; i++)
        {
            var before = fleet.Agents.Sum(a => a.Served);
            requests.Add(fleet.ChatAsync());
            await WaitForAsync(() => fleet.Agents.Sum(a => a.Served) > before, fleet);
        }
        return requests;
    }

    internal static async Task ReleaseAsync(TestFleet fleet, List<Task<HttpResponseMessage>> requests)
    {
        foreach (var agent in fleet.Agents)
        {
            agent.Hold?.TrySetResult();
            agent.Hold = null;
        }
        foreach (var response in await Task.WhenAll(requests)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Every arrival fires its agent's pulse: take the pulses, check, then wait on any of them.
    internal static async Task WaitForAsync(Func<bool> condition, TestFleet fleet)
    {
        while (true)
        {
            var arrivals = fleet.Agents.Select(a => a.Arrived.Next).ToList();
            if (condition()) return;
            await Task.WhenAny(arrivals).WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    internal static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
