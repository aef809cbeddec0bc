using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Infra.PulumiCli;
using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Fleet.Stacks.Tests.Support;

/// <summary>The control service on 127.0.0.1:0 over a <see cref="TestProject"/>, driving the fake CLI; and a signing client.</summary>
public sealed class TestService : IAsyncDisposable
{
    public const string SecretText = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public static readonly WebhookSecret Secret = WebhookSecret.Parse(SecretText);
    private static int _deliveries;

    private TestService(WebApplication app, HttpClient client, StacksOptions options) => (App, Client, Options) = (app, client, options);

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public StacksOptions Options { get; }

    public static StacksOptions DefaultOptions(TestProject project, Uri? gateway = null, params string[] stacks) => new(
        project.Directory, "fleet", stacks.Length == 0 ? ["prod"] : stacks, [Secret], gateway, gateway is null ? null : FakeGateway.Token,
        project.Database, "http://127.0.0.1:0",
        WatchInterval: TimeSpan.Zero, DrainTimeout: TimeSpan.FromSeconds(30), DrainPoll: TimeSpan.FromMilliseconds(5),
        ReadyTimeout: TimeSpan.FromSeconds(30), ReadyPoll: TimeSpan.FromMilliseconds(5), DeadGrace: TimeSpan.FromMinutes(5),
        UpTimeout: TimeSpan.FromMinutes(2), ConflictRetries: 5, ConflictBackoff: TimeSpan.FromMilliseconds(1), MaxResumes: 3,
        Autoscaler: new AutoscalerOptions());

    public static async Task<TestService> StartAsync(StacksOptions options, PulumiCommand? pulumi = null, TimeProvider? time = null)
    {
        FakePulumiCli.Install();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Listen);
        builder.Logging.ClearProviders();
        builder.AddFleetStacks(options, pulumi, time);
        var app = builder.Build();
        app.MapFleetStacks();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestService(app, new HttpClient { BaseAddress = new Uri(address) }, options);
    }

    /// <summary>Signs and posts a scale request the way a Standard Webhooks sender does.</summary>
    public Task<HttpResponseMessage> ScaleAsync(string pool, int nodes, string stack = "prod", string? deliveryId = null, DateTimeOffset? at = null, WebhookSecret? secret = null)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"stack":"{{stack}}","pool":"{{pool}}","nodes":{{nodes}}}""");
        return PostSignedAsync(body, deliveryId ?? $"msg_{Interlocked.Increment(ref _deliveries)}_{Guid.NewGuid():N}", at ?? DateTimeOffset.UtcNow, secret ?? Secret);
    }

    public Task<HttpResponseMessage> PostSignedAsync(byte[] body, string id, DateTimeOffset at, WebhookSecret secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/scale") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookVerifier.Sign(secret, id, at.ToUnixTimeSeconds(), body));
        return Client.SendAsync(request);
    }

    public async Task<string> AcceptedOperationAsync(string pool, int nodes, string stack = "prod")
    {
        var response = await ScaleAsync(pool, nodes, stack);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();
    }

    public async Task<JsonObject> OperationAsync(string id) =>
        (await Client.GetFromJsonAsync<JsonObject>($"/v1/operations/{id}"))!;

    public async Task<JsonObject> FinishedOperationAsync(string id, int timeoutSeconds = 60)
    {
        JsonObject op = null!;
        await Eventually.TrueAsync(() =>
        {
            op = OperationAsync(id).GetAwaiter().GetResult();
            return op["operation"]!["state"]!.GetValue<string>() is "succeeded" or "failed";
        }, $"operation {id} to finish", timeoutSeconds);
        return op;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
