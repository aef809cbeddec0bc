using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Fleet.Stacks.Tests.Support;

/// <summary>The real service binary (Program.cs, FLEET_ settings) as a child process over a <see cref="TestProject"/>.</summary>
public sealed class ServiceProcess : IDisposable
{
    private ServiceProcess(Process process, HttpClient client) => (Process, Client) = (process, client);

    public Process Process { get; }

    public HttpClient Client { get; }

    /// <summary>Every line the service wrote to stdout (its log) and stderr.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public static IDictionary<string, string> Environment(TestProject project, int port) => new Dictionary<string, string>
    {
        ["FLEET_PROJECT_DIR"] = project.Directory,
        ["FLEET_STACKS"] = "prod",
        ["FLEET_WEBHOOK_SECRET"] = TestService.SecretText,
        ["FLEET_DATABASE"] = project.Database,
        ["FLEET_LISTEN"] = $"http://127.0.0.1:{port}",
        ["FLEET_WATCH_INTERVAL_SECONDS"] = "0",
        ["FLEET_COALESCE_MS"] = "0",
        ["FLEET_CONFLICT_BACKOFF_SECONDS"] = "0.05",
        ["FLEET_CONFLICT_RETRIES"] = "1000",
        ["PULUMI_BINARY"] = FakePulumiCli.Path,
    };

    public static ServiceProcess Start(TestProject project, int port, Action<IDictionary<string, string>>? configure = null)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "Fleet.Stacks.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = project.Directory,
        };
        var env = Environment(project, port);
        configure?.Invoke(env);
        foreach (var (k, v) in env) start.Environment[k] = v;
        var process = System.Diagnostics.Process.Start(start)!;
        var service = new ServiceProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task WaitHealthyAsync() =>
        await Eventually.TrueAsync(() =>
        {
            Assert.False(Process.HasExited, "the service exited during start: " + string.Join('\n', Output));
            try { return Client.GetAsync("/health").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK; }
            catch (HttpRequestException) { return false; }
        }, "the service to listen");

    /// <summary>Posts a signed scale request; returns the operation id.</summary>
    public async Task<string> ScaleAsync(int nodes, string pool = "burst")
    {
        var body = System.Text.Encoding.UTF8.GetBytes($$"""{"stack":"prod","pool":"{{pool}}","nodes":{{nodes}}}""");
        var id = $"msg_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/scale") { Content = new ByteArrayContent(body) };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Fleet.Stacks.Webhooks.WebhookVerifier.Sign(TestService.Secret, id, now, body));
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();
    }

    public JsonObject Operation(string id) =>
        Client.GetFromJsonAsync<JsonObject>($"/v1/operations/{id}").GetAwaiter().GetResult()!["operation"]!.AsObject();

    /// <summary>SIGKILL to the service and every process it started (its <c>pulumi</c>), as a container or host loss does.</summary>
    public async Task KillWithChildrenAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Client.Dispose();
        Process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string DotnetHost() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h
        : System.Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
}
