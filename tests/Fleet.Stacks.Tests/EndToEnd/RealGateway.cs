using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Hosting;
using Fleet.Stacks.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Fleet.Stacks.Tests.EndToEnd;

/// <summary>
/// The real gateway (gateway/, in-process, real clock) on 127.0.0.1:0: one client key, an empty nodes file that the fake
/// <c>pulumi</c>'s <c>up</c> (or the test) fills, and the admin token the control service's test options send
/// (<see cref="FakeGateway.Token"/>). Agents on loopback heartbeat into it every second.
/// </summary>
public sealed class RealGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RealGateway(WebApplication app, string dir, GatewayOptions options, Uri url) =>
        (_app, Directory, Options, Url) = (app, dir, options, url);

    /// <summary>The folder of the gateway's files.</summary>
    public string Directory { get; }

    public GatewayOptions Options { get; }

    /// <summary>Base address with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The client key the tests send.</summary>
    public string ApiKey { get; private init; } = "";

    /// <summary>Starts a gateway configured to serve <paramref name="models"/> (held from zero for <paramref name="holdBound"/>).</summary>
    public static async Task<RealGateway> StartAsync(IReadOnlyList<string> models, TimeSpan holdBound)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("fleet-e2e-gateway-").FullName;
        var options = new GatewayOptions
        {
            ApiKeysFile = Path.Combine(dir, "keys.json"),
            NodesFile = Path.Combine(dir, "nodes.json"),
            AdminTokenFile = Path.Combine(dir, "admin-token"),
            Models = models,
            ScaleFromZeroTimeout = holdBound,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            // A node written by the fake's `up` is known within a tenth of a second (the default is 2 s).
            FileReloadInterval = TimeSpan.FromMilliseconds(100),
            PrivateNetworks = [System.Net.IPNetwork.Parse("127.0.0.0/8")],
            AgentPort = 0,
            LogFormat = LogFormat.Text,
        };
        var errors = new List<string>();
        GatewayOptionsValidator.Validate(options, errors);
        Assert.Empty(errors);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddFleetGateway(options);
        var app = builder.Build();
        app.MapFleetGateway();
        var key = $"sk-e2e-{Guid.NewGuid():N}";
        WriteFiles(options, key);
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return new RealGateway(app, dir, options, url) { ApiKey = key };
    }

    /// <summary>A client sending the test key.</summary>
    public HttpClient Client() => new() { BaseAddress = Url, Timeout = TimeSpan.FromMinutes(3), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ApiKey) } };

    /// <summary>The admin API's node list (<c>GET /admin/v1/nodes</c>): name → the node's view.</summary>
    public async Task<IReadOnlyDictionary<string, JsonObject>> NodesAsync()
    {
        using var admin = new HttpClient { BaseAddress = Url, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", FakeGateway.Token) } };
        var body = await admin.GetFromJsonAsync<JsonObject>("admin/v1/nodes");
        return body!["nodes"]!.AsArray().Select(n => n!.AsObject()).ToDictionary(n => n["node"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    /// <summary>The admin API's load (<c>GET /admin/v1/load</c>).</summary>
    public async Task<JsonObject> LoadAsync()
    {
        using var admin = new HttpClient { BaseAddress = Url, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", FakeGateway.Token) } };
        return (await admin.GetFromJsonAsync<JsonObject>("admin/v1/load"))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }

    private static void WriteFiles(GatewayOptions options, string key)
    {
        File.WriteAllText(options.ApiKeysFile, JsonSerializer.Serialize(new
        {
            keys = new[] { new { name = "e2e", sha256 = SecretHash.HexOf(key), requestsPerMinute = 10_000, tokensPerMinute = 10_000_000 } },
        }));
        File.WriteAllText(options.NodesFile, """{"nodes":[]}""");
        File.WriteAllText(options.AdminTokenFile, FakeGateway.Token + "\n");
    }
}
