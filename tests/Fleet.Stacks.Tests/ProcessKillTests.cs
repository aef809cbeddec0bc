using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>The real service binary (Program.cs, FLEET_ settings) killed with SIGKILL in the middle of an <c>up</c>.</summary>
public sealed class ProcessKillTests : IDisposable
{
    private readonly TestProject _project = new();
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (var p in _processes.Where(p => !p.HasExited)) p.Kill(entireProcessTree: true);
        _project.Dispose();
    }

    private (Process Process, HttpClient Client) Start(int port)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "Fleet.Stacks.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _project.Directory,
        };
        start.Environment["FLEET_PROJECT_DIR"] = _project.Directory;
        start.Environment["FLEET_STACKS"] = "prod";
        start.Environment["FLEET_WEBHOOK_SECRET"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        start.Environment["FLEET_DATABASE"] = _project.Database;
        start.Environment["FLEET_LISTEN"] = $"http://127.0.0.1:{port}";
        start.Environment["FLEET_WATCH_INTERVAL_SECONDS"] = "0";
        start.Environment["FLEET_COALESCE_MS"] = "0";
        start.Environment["FLEET_CONFLICT_BACKOFF_SECONDS"] = "0.05";
        start.Environment["FLEET_CONFLICT_RETRIES"] = "1000";
        start.Environment["PULUMI_BINARY"] = FakePulumiCli.Path;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return (process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    }

    private static async Task WaitHealthyAsync(HttpClient client, Process process) =>
        await Eventually.TrueAsync(() =>
        {
            Assert.False(process.HasExited, "the service exited during start");
            try { return client.GetAsync("/health").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK; }
            catch (HttpRequestException) { return false; }
        }, "the service to listen");

    private static async Task<string> ScaleAsync(HttpClient client, int nodes)
    {
        var body = System.Text.Encoding.UTF8.GetBytes($$"""{"stack":"prod","pool":"burst","nodes":{{nodes}}}""");
        var id = $"msg_{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/scale") { Content = new ByteArrayContent(body) };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Fleet.Stacks.Webhooks.WebhookVerifier.Sign(TestService.Secret, id, now, body));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_service_killed_mid_up_resumes_every_accepted_request_after_restart()
    {
        _project.UpBehaves("hang", "succeed");
        var port = FreePort();
        var (first, client) = Start(port);
        await WaitHealthyAsync(client, first);
        var running = await ScaleAsync(client, 3);
        await Eventually.TrueAsync(() => _project.UpRunning(), "the first up to hang");
        var queued = await ScaleAsync(client, 4);
        first.Kill(); // SIGKILL: no shutdown code runs; the hanging `up` lives on, holding the stack's lock
        await first.WaitForExitAsync();
        var orphan = int.Parse(File.ReadAllText(Path.Combine(_project.Control, "running.prod")), System.Globalization.CultureInfo.InvariantCulture);

        var (second, client2) = Start(port);
        await WaitHealthyAsync(client2, second);
        await Eventually.TrueAsync(() => _project.Ups().Count >= 3, "the resumed up to back off on the orphan's lock");
        Process.GetProcessById(orphan).Kill(); // the orphaned update ends (a real one would finish or expire)
        _project.ClearLock();

        JsonObject Op(string id) => client2.GetFromJsonAsync<JsonObject>($"/v1/operations/{id}").GetAwaiter().GetResult()!["operation"]!.AsObject();
        await Eventually.TrueAsync(() => Op(running)["state"]!.GetValue<string>() == "succeeded" && Op(queued)["state"]!.GetValue<string>() == "succeeded", "both operations");
        Assert.Equal(1, Op(running)["resumes"]!.GetValue<int>());
        Assert.Equal(["a1", "a2", "a3", "a4"], _project.DeployedNodes("burst"));
        second.Kill();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h
        : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
}
