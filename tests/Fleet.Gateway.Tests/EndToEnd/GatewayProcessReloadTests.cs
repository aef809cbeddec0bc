using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Agent.Tests.Gguf;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.EndToEnd;

/// <summary>
/// The built gateway as its own process, configured only by its environment, polling its files on the real clock
/// (FLEET_FILE_RELOAD_SECONDS=1): a scale-up written the Swarm way and a key rotation the kubelet way reach it while a
/// stream is open, and it is the same process (PID, start time) that serves the new node and key.
/// </summary>
public sealed partial class GatewayProcessReloadTests
{
    [Fact]
    public async Task The_running_gateway_process_takes_a_new_node_and_rotated_keys_without_restarting_or_cutting_a_stream()
    {
        var dir = Directory.CreateTempSubdirectory("fleet-gateway-process-").FullName;
        var model = new ScriptedModel().WriteTo(Path.Combine(dir, "scripted.gguf"));
        var (steady, teamA, teamB) = (new TestKey("steady"), new TestKey("team-a"), new TestKey("team-b"));
        var credentials = new[] { "n1", "n2" }.ToDictionary(n => n, n => $"credential-{n}-{Guid.NewGuid():N}");
        var swarm = Directory.CreateDirectory(Path.Combine(dir, "swarm")).FullName; // the bind-mounted folder
        var nodesFile = Path.Combine(swarm, "nodes.json");
        StackFiles.SwarmWrite(nodesFile, MembershipChangeTests.NodesJson([("n1", credentials["n1"])]));
        var secret = Path.Combine(dir, "secret");
        var keysFile = StackFiles.KubeletCreate(secret, "keys.json", MembershipChangeTests.KeysJson([steady, teamA]));
        var adminToken = $"admin-{Guid.NewGuid():N}";
        File.WriteAllText(Path.Combine(dir, "admin"), adminToken);

        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "Fleet.Gateway.dll")}\"")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("FLEET_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["FLEET_NODES_FILE"] = nodesFile;
        start.Environment["FLEET_API_KEYS_FILE"] = keysFile;
        start.Environment["FLEET_ADMIN_TOKEN_FILE"] = Path.Combine(dir, "admin");
        start.Environment["FLEET_FILE_RELOAD_SECONDS"] = "1";
        start.Environment["FLEET_HEARTBEAT_INTERVAL_SECONDS"] = "1";
        start.Environment["FLEET_PRIVATE_CIDR"] = "127.0.0.0/8";
        start.Environment["FLEET_AGENT_PORT"] = "0";
        start.Environment["FLEET_LOG_FORMAT"] = "text";
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningOn().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.Start();
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        var agents = new List<RealAgent>();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            HttpClient Client(TestKey? key = null)
            {
                var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
                http.DefaultRequestHeaders.Authorization = new("Bearer", key?.Secret ?? adminToken);
                return http;
            }
            using var admin = Client();
            async Task<JsonNode?> NodeAsync(string node)
            {
                using var response = await admin.GetAsync($"/admin/v1/nodes/{node}");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonNode>() : null;
            }
            async Task<HttpStatusCode> ChatAsync(TestKey key)
            {
                using var http = Client(key);
                using var response = await http.PostAsync("/v1/chat/completions", MembershipChangeTests.Load.ChatBody());
                return response.StatusCode;
            }
            async Task<double> StartTimeAsync()
            {
                using var http = Client();
                var line = (await http.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("process_start_time_seconds ", StringComparison.Ordinal));
                return double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }

            var n1 = await RealAgent.StartAsync(dir, model, "n1", credentials["n1"], address);
            agents.Add(n1);
            await UntilAsync(async () => (await NodeAsync("n1"))?["state"]?.GetValue<string>() == "ready");
            var (pid, started) = (process.Id, await StartTimeAsync());
            n1.Hold();
            var streams = new[]
            {
                await MembershipChangeTests.OpenStream.StartAsync(Client(teamA), chat: true),
                await MembershipChangeTests.OpenStream.StartAsync(Client(steady), chat: false),
            };

            // Scale-up and key rotation, the way each orchestrator writes them; nobody tells the gateway.
            StackFiles.SwarmWrite(nodesFile, MembershipChangeTests.NodesJson(credentials.Select(c => (c.Key, c.Value))));
            StackFiles.KubeletUpdate(secret, "keys.json", MembershipChangeTests.KeysJson([steady, teamB]));
            agents.Add(await RealAgent.StartAsync(dir, model, "n2", credentials["n2"], address));
            await UntilAsync(async () => (await NodeAsync("n2"))?["state"]?.GetValue<string>() == "ready");
            await UntilAsync(async () => await ChatAsync(teamB) == HttpStatusCode.OK);

            Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(teamA));
            using (var http = Client(steady))
            {
                for (var i = 0; i < 4; i++)
                {
                    using var response = await http.PostAsync("/v1/chat/completions", MembershipChangeTests.Load.ChatBody());
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Equal("n2", response.Headers.GetValues(RealAgent.NodeHeader).Single()); // 4 free slots against n1's 2
                }
            }
            Assert.Equal(2, (await NodeAsync("n1"))!["inFlight"]!.GetValue<int>());
            Assert.False(process.HasExited);
            Assert.Equal((pid, started), (process.Id, await StartTimeAsync()));

            n1.Release();
            foreach (var stream in streams) await stream.FinishAsync(); // the removed key's stream too
        }
        finally
        {
            foreach (var agent in agents) await agent.DisposeAsync();
            if (!process.HasExited)
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Directory.Delete(dir, recursive: true);
        }
        Assert.Equal("", await stderr);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition()) await Task.Delay(100, timeout.Token); // another process: nothing to wait on but its answers
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
