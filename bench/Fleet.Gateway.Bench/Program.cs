using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Fleet.Gateway.Bench;

// Gateway benchmark (issue 5, DESIGN §9): the same fast stub agent called directly, through the gateway (its own
// process, as deployed) and through Caddy's reverse_proxy, in one run. Latency at concurrency 1 shows the added
// cost per request; throughput at concurrency N compares the proxies. Numbers go to stdout; nothing is asserted.
var seconds = Arg("--seconds", 5);
var concurrency = Arg("--concurrency", 32);
var warmup = TimeSpan.FromSeconds(Arg("--warmup", 2));
var measure = TimeSpan.FromSeconds(seconds);

var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
// --gateway PATH runs another build, e.g. the NativeAOT binary from `dotnet publish gateway -p:PublishAot=true`.
var gatewayDll = ArgText("--gateway") ?? Path.Combine(FindRepoRoot(), "gateway", "bin", configuration, "net10.0", "Fleet.Gateway.dll");
var (gatewayFile, gatewayArgs) = gatewayDll.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", $"\"{gatewayDll}\"") : (gatewayDll, "");
var work = Directory.CreateTempSubdirectory("fleet-gateway-bench-").FullName;
const string apiKey = "sk-bench-key";
const string nodeCredential = "bench-node-credential";

await using var stub = await StubAgent.StartAsync();
await File.WriteAllTextAsync(Path.Combine(work, "keys.json"),
    $$"""{"keys":[{"name":"bench","sha256":"{{Sha(apiKey)}}","requestsPerMinute":2000000000,"tokensPerMinute":2000000000}]}""");
await File.WriteAllTextAsync(Path.Combine(work, "nodes.json"), $$"""{"nodes":[{"node":"stub","pool":"bench","sha256":"{{Sha(nodeCredential)}}"}]}""");
await File.WriteAllTextAsync(Path.Combine(work, "admin-token"), "bench-admin-token");

var gatewayPort = ChildProcess.FreePort();
var gatewayEnv = new Dictionary<string, string>
{
    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{gatewayPort}",
    ["FLEET_API_KEYS_FILE"] = Path.Combine(work, "keys.json"),
    ["FLEET_NODES_FILE"] = Path.Combine(work, "nodes.json"),
    ["FLEET_ADMIN_TOKEN_FILE"] = Path.Combine(work, "admin-token"),
    ["Logging__LogLevel__Default"] = "Warning",
    // The heartbeat trust boundary, set for the stub: it listens on loopback, on a random port, and claims 4096 slots
    // (with the defaults its heartbeat is refused: 403 endpoint_not_allowed).
    ["FLEET_PRIVATE_CIDR"] = "127.0.0.0/8",
    ["FLEET_AGENT_PORT"] = "0",
    ["FLEET_MAX_SLOTS_PER_NODE"] = StubAgent.Slots.ToString(CultureInfo.InvariantCulture),
};
foreach (var (k, v) in GatewayEnv()) gatewayEnv[k] = v; // --gateway-env wins
using var gateway = await ChildProcess.StartAsync(gatewayFile, gatewayArgs, gatewayEnv, gatewayPort, Path.GetDirectoryName(gatewayDll)!);
var gatewayUri = new Uri($"http://127.0.0.1:{gatewayPort}");
using var beats = new CancellationTokenSource();
await BeatAsync(gatewayUri, stub.Address, CancellationToken.None);
var beating = Task.Run(async () =>
{
    while (!beats.IsCancellationRequested)
    {
        try { await Task.Delay(TimeSpan.FromSeconds(2), beats.Token); await BeatAsync(gatewayUri, stub.Address, beats.Token); }
        catch (OperationCanceledException) { }
    }
});

ChildProcess? caddy = null;
Uri? caddyUri = null;
if (File.Exists("/usr/bin/caddy") || Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(p => File.Exists(Path.Combine(p, "caddy"))))
{
    var caddyPort = ChildProcess.FreePort();
    var caddyfile = Path.Combine(work, "Caddyfile");
    await File.WriteAllTextAsync(caddyfile, $$"""
        {
        	admin off
        	auto_https off
        	log {
        		level ERROR
        	}
        }
        http://127.0.0.1:{{caddyPort}} {
        	reverse_proxy {{stub.Address.Authority}}
        }

        """);
    caddy = await ChildProcess.StartAsync("caddy", $"run --config \"{caddyfile}\" --adapter caddyfile", new Dictionary<string, string>
    {
        ["HOME"] = work,
        ["XDG_DATA_HOME"] = work,
        ["XDG_CONFIG_HOME"] = work,
    }, caddyPort, work);
    caddyUri = new Uri($"http://127.0.0.1:{caddyPort}");
}
else Console.Error.WriteLine("caddy not found (apt-get install caddy): its row is skipped");

var targets = new List<(string Name, Uri Uri)> { ("direct", stub.Address), ("gateway", gatewayUri) };
if (caddyUri is not null) targets.Add(("caddy", caddyUri));

Console.Error.WriteLine($"gateway: {gatewayDll}");
Console.Error.WriteLine($"warmup {warmup.TotalSeconds} s, measure {seconds} s per cell, concurrency 1 and {concurrency}, {Environment.ProcessorCount} cores");
var results = new Dictionary<(string, int), LoadResult>();
foreach (var c in new[] { 1, concurrency })
{
    foreach (var (name, uri) in targets)
    {
        await LoadRunner.RunAsync(uri, apiKey, c, warmup);
        var r = await LoadRunner.RunAsync(uri, apiKey, c, measure);
        results[(name, c)] = r;
        Console.Error.WriteLine($"  {name,-8} c={c,-3} {r.LatenciesMs.Length,8} requests, {r.Errors} errors");
    }
}

using (var scrape = new HttpClient { BaseAddress = gatewayUri })
{
    // The gateway's own view of the run: garbage collections by generation (a source of tail latency).
    foreach (var line in (await scrape.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("dotnet_collection_count_total", StringComparison.Ordinal)))
        Console.Error.WriteLine($"  gateway {line}");
}
beats.Cancel();
await beating;
caddy?.Dispose();

string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
string R(double v) => v.ToString("0", CultureInfo.InvariantCulture);
var direct1 = results[("direct", 1)];
var directN = results[("direct", concurrency)];
Console.WriteLine($"| path | c=1 p50 ms | c=1 p99 ms | added p50 ms | added p99 ms | c={concurrency} p50 ms | c={concurrency} p99 ms | c={concurrency} req/s | req/s vs direct | req/s vs caddy |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, _) in targets)
{
    var one = results[(name, 1)];
    var many = results[(name, concurrency)];
    var vsCaddy = caddyUri is null ? "n/a" : (many.RequestsPerSecond / results[("caddy", concurrency)].RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture);
    Console.WriteLine($"| {name} | {F(one.Percentile(0.5))} | {F(one.Percentile(0.99))} | {F(one.Percentile(0.5) - direct1.Percentile(0.5))} | {F(one.Percentile(0.99) - direct1.Percentile(0.99))} " +
                      $"| {F(many.Percentile(0.5))} | {F(many.Percentile(0.99))} | {R(many.RequestsPerSecond)} | {(many.RequestsPerSecond / directN.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture)} | {vsCaddy} |");
}
Console.WriteLine("Goals (DESIGN §9): gateway added p50 ≤ 1 ms and p99 ≤ 5 ms over direct; gateway req/s ≥ caddy req/s.");
Directory.Delete(work, recursive: true);
return 0;

// --gateway-env KEY=VALUE (repeatable): extra environment for the gateway process only, e.g. DOTNET_gcServer=0.
IEnumerable<KeyValuePair<string, string>> GatewayEnv()
{
    for (var i = 0; i + 1 < args.Length; i++)
        if (args[i] == "--gateway-env" && args[i + 1].Split('=', 2) is [var k, var v]) yield return new(k, v);
}

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string Sha(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Infra.sln"))) return dir.FullName;
    throw new InvalidOperationException("run the bench from inside the repository (Infra.sln not found above the binary)");
}

static async Task BeatAsync(Uri gateway, Uri stub, CancellationToken cancellationToken)
{
    using var http = new HttpClient { BaseAddress = gateway };
    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/agents/heartbeat")
    {
        Content = JsonContent.Create(new
        {
            node = "stub",
            pool = "bench",
            version = "bench",
            sequence = Environment.TickCount64,
            state = "ready",
            endpoint = stub.ToString(),
            model = new { id = "tiny", sha256 = "00", loaded = true },
            backend = "cpu",
            gpus = Array.Empty<object>(),
            slots = new { total = StubAgent.Slots, busy = 0 },
            queue = new { depth = 0 },
            tokensPerSecond = 0,
            ttftP95Ms = 0,
        }),
    };
    request.Headers.Authorization = new("Bearer", nodeCredential);
    using var response = await http.SendAsync(request, cancellationToken);
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"the gateway refused the stub's heartbeat: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
}
