using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;
using Fleet.Stacks.Webhooks;

namespace Fleet.Stacks.Tests;

public sealed class ScaleWebhookTests : IAsyncLifetime
{
    private readonly TestProject _project = new();
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(TestService.DefaultOptions(_project));

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task Accepts_a_signed_request_with_202_and_an_operation_id()
    {
        var response = await _service.ScaleAsync("burst", 3);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = body["operationId"]!.GetValue<string>();
        Assert.StartsWith("op_", id);
        Assert.Equal($"/v1/operations/{id}", response.Headers.Location!.ToString());
        Assert.Equal(3, body["target"]!.GetValue<int>());
        Assert.False(body["clamped"]!.GetValue<bool>());
        var op = await _service.OperationAsync(id);
        Assert.Equal("webhook", op["operation"]!["source"]!.GetValue<string>());
        Assert.Equal("burst", op["operation"]!["pool"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(50, 6)]
    [InlineData(0, 1)]
    [InlineData(4, 4)]
    public async Task Clamps_the_target_to_the_pools_min_and_max(int requested, int target)
    {
        var response = await _service.ScaleAsync("burst", requested);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(requested, body["requested"]!.GetValue<int>());
        Assert.Equal(target, body["target"]!.GetValue<int>());
        Assert.Equal(requested != target, body["clamped"]!.GetValue<bool>());
        Assert.Equal(1, body["min"]!.GetValue<int>());
        Assert.Equal(6, body["max"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_repeated_delivery_id_returns_the_first_operation()
    {
        var first = await (await _service.ScaleAsync("burst", 3, deliveryId: "msg_dup")).Content.ReadFromJsonAsync<JsonObject>();
        var again = await _service.ScaleAsync("burst", 5, deliveryId: "msg_dup");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(first!["operationId"]!.GetValue<string>(), second["operationId"]!.GetValue<string>());
        Assert.True(second["duplicate"]!.GetValue<bool>());
        Assert.Equal(3, second["target"]!.GetValue<int>());
    }

    [Fact]
    public async Task Refuses_bad_signatures_with_401()
    {
        var wrong = WebhookSecret.Parse("whsec_" + Convert.ToBase64String(new byte[32]));
        var response = await _service.ScaleAsync("burst", 3, secret: wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("no v1 signature", await response.Content.ReadAsStringAsync());

        var old = await _service.ScaleAsync("burst", 3, at: DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Contains("more than 5 minutes in the past", await old.Content.ReadAsStringAsync());

        var unsigned = await _service.Client.PostAsync("/v1/scale", new StringContent("""{"stack":"prod","pool":"burst","nodes":3}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_chunked_body_over_the_limit()
    {
        // No Content-Length: the server must stop reading at the limit.
        var content = new PushStreamContent(new string('x', 200 * 1024));
        var response = await _service.Client.PostAsync("/v1/scale", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private sealed class PushStreamContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // chunked
        }
    }

    [Fact]
    public async Task Refuses_a_body_changed_after_signing()
    {
        var body = Encoding.UTF8.GetBytes("""{"stack":"prod","pool":"burst","nodes":3}""");
        var at = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/scale") { Content = new StringContent("""{"stack":"prod","pool":"burst","nodes":6}""") };
        request.Headers.Add("webhook-id", "msg_t");
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookVerifier.Sign(TestService.Secret, "msg_t", at.ToUnixTimeSeconds(), body));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _service.Client.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("""{"stack":"prod","pool":"burst"}""", 400, "invalid_body")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":-1}""", 400, "invalid_body")]
    [InlineData("not json", 400, "invalid_body")]
    [InlineData("""{"stack":"staging","pool":"burst","nodes":2}""", 404, "unknown_stack")]
    [InlineData("""{"stack":"prod","pool":"gpu","nodes":2}""", 404, "unknown_pool")]
    [InlineData("""{"stack":"prod","pool":"cpu","nodes":2}""", 422, "pool_not_managed")]
    public async Task Refuses_requests_it_cannot_apply(string json, int status, string code)
    {
        var response = await _service.PostSignedAsync(Encoding.UTF8.GetBytes(json), $"msg_{Guid.NewGuid():N}", DateTimeOffset.UtcNow, TestService.Secret);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Serves_health_and_metrics()
    {
        var health = await _service.Client.GetFromJsonAsync<JsonObject>("/health");
        Assert.Equal("ok", health!["status"]!.GetValue<string>());
        await _service.ScaleAsync("burst", 3);
        var metrics = await _service.Client.GetStringAsync("/metrics");
        Assert.Contains("fleet_stacks_webhooks_total{result=\"accepted\"} 1", metrics);
        Assert.Contains("fleet_stacks_desired_nodes{stack=\"prod\",pool=\"burst\"} 3", metrics);
    }
}
