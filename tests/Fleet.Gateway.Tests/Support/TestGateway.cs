using System.Net.Http.Headers;
using System.Text.Json;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Hosting;
using Fleet.Gateway.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Gateway.Tests.Support;

/// <summary>A client key for tests: the secret the client sends, and what the keys file says about it.</summary>
public sealed record TestKey(string Name, int RequestsPerMinute = 1000, int TokensPerMinute = 100_000, string[]? Models = null)
{
    public string Secret { get; } = $"sk-test-{Name}-{Guid.NewGuid():N}";
}

/// <summary>
/// A real gateway on 127.0.0.1:0 with a fake clock, its key/node/admin files in a temp folder, and the agents
/// registered in its nodes file.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly string _dir;

    private TestGateway(string dir, WebApplication app, FakeTimeProvider time, ListLogger logs, string adminToken)
    {
        _dir = dir;
        App = app;
        Time = time;
        Logs = logs;
        AdminToken = adminToken;
    }

    public WebApplication App { get; }
    public FakeTimeProvider Time { get; }
    public ListLogger Logs { get; }
    public string AdminToken { get; }
    public Uri Address { get; private set; } = null!;
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];
    public CapacityGate Gate => App.Services.GetRequiredService<CapacityGate>();

    public static async Task<TestGateway> StartAsync(IEnumerable<TestKey> keys, IEnumerable<TestAgent> agents, Func<GatewayOptions, GatewayOptions>? configure = null, Action<WebApplicationBuilder>? host = null)
    {
        var dir = Directory.CreateTempSubdirectory("fleet-gateway-test-").FullName;
        var adminToken = $"admin-{Guid.NewGuid():N}";
        var options = new GatewayOptions
        {
            ApiKeysFile = Path.Combine(dir, "keys.json"),
            NodesFile = Path.Combine(dir, "nodes.json"),
            AdminTokenFile = Path.Combine(dir, "admin-token"),
            QueueTimeout = TimeSpan.FromSeconds(10),
            // Agents run on loopback, each on its own port.
            PrivateNetworks = [System.Net.IPNetwork.Parse("127.0.0.0/8")],
            AgentPort = 0,
        };
        options = configure?.Invoke(options) ?? options;
        WriteKeys(options.ApiKeysFile, keys);
        WriteNodes(options.NodesFile, agents);
        File.WriteAllText(options.AdminTokenFile, adminToken + "\n");
        var errors = new List<string>();
        GatewayOptionsValidator.Validate(options, errors);
        Assert.Empty(errors);

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var logs = new ListLogger();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddFleetGateway(options);
        host?.Invoke(builder);
        var app = builder.Build();
        app.MapFleetGateway();
        await app.StartAsync();

        var gateway = new TestGateway(dir, app, time, logs, adminToken);
        gateway.Addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        gateway.Address = gateway.Addresses[0];
        return gateway;
    }

    public GatewayOptions Options => App.Services.GetRequiredService<GatewayOptions>();

    public void RewriteKeys(IEnumerable<TestKey> keys) => WriteKeys(Options.ApiKeysFile, keys);

    public void RewriteNodes(IEnumerable<TestAgent> agents) => WriteNodes(Options.NodesFile, agents);

    /// <summary>Moves the clock; due timers (file reload every 2 s, registry sweep every 1 s) run before it returns.</summary>
    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>A client sending <paramref name="apiKey"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? apiKey)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    public HttpClient Admin() => Client(AdminToken);

    /// <summary>Completes once <paramref name="count"/> requests are holding for capacity.</summary>
    public async Task WaitingAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var changed = Gate.WaitingChanged.Next;
            if (Gate.Waiting >= count) return;
            await changed.WaitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static void WriteKeys(string path, IEnumerable<TestKey> keys) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            keys = keys.Select(k => new { name = k.Name, sha256 = SecretHash.HexOf(k.Secret), requestsPerMinute = k.RequestsPerMinute, tokensPerMinute = k.TokensPerMinute, models = k.Models }),
        }));

    private static void WriteNodes(string path, IEnumerable<TestAgent> agents) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new { nodes = agents.Select(a => a.NodesFileEntry) }));
}
