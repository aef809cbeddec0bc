using System.Net;
using System.Text;
using System.Text.Json;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

/// <summary>A node removed from the nodes file stays out, whatever its heartbeats were doing at that moment.</summary>
public sealed class NodeRevocationTests
{
    [Fact]
    public async Task A_heartbeat_in_flight_while_the_node_is_removed_does_not_bring_it_back()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);
        var a1 = fleet["a1"];
        // The heartbeat's headers (and credential) reach the gateway; its body is held back until the node is removed.
        var body = new HeldContent(HeartbeatJson(a1));
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) };
        using var http = new HttpClient(handler) { BaseAddress = fleet.Gateway.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/agents/heartbeat") { Content = body };
        request.Headers.Authorization = new("Bearer", a1.Credential);
        request.Headers.ExpectContinue = true; // the gateway asks for the body (100 Continue) once it has looked the credential up
        var sending = http.SendAsync(request);
        await body.Requested.WaitAsync(TimeSpan.FromSeconds(30));

        fleet.Gateway.RewriteNodes([fleet["a2"]]);
        fleet.Gateway.Advance(TimeSpan.FromSeconds(2)); // reload: a1 revoked
        body.Send();
        using var response = await sending;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("unknown_node_credential", await response.Content.ReadAsStringAsync());
        Assert.Null(fleet.Gateway.App.Services.GetRequiredService<NodeRegistry>().Find("a1"));
        for (var i = 0; i < 8; i++)
            Assert.Equal("a2", await TestFleet.ServedByAsync(await fleet.ChatAsync()));
        Assert.Equal(0, a1.Served);
    }

    private static string HeartbeatJson(TestAgent agent) => JsonSerializer.Serialize(
        new Heartbeat(agent.Name, agent.Pool, "test-1.0", agent.Sequence + 1, "ready", agent.Endpoint.ToString(), new HeartbeatModel(agent.Model, "ab12", true),
            "cpu", [], new HeartbeatSlots(agent.Slots, 0), new HeartbeatQueue(0), 1, 1, null),
        new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>A body that says when it is asked for and is written only when the test says so.</summary>
    private sealed class HeldContent(string json) : HttpContent
    {
        private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(json);

        public Task Requested => _requested.Task;

        public void Send() => _go.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _requested.TrySetResult();
            await _go.Task;
            await stream.WriteAsync(_bytes);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
