using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Bench;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// DESIGN §9: webhook received -> `pulumi up` started (goal <= 1 s); N webhooks -> one `up` per stack.
// The control service runs in-process on loopback, driving the fake `pulumi` (a real process per call, as the CLI is).
var latencyRounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var burst = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;

var dll = Path.Combine(AppContext.BaseDirectory, "FakePulumi.dll");
var script = Path.Combine(Directory.CreateTempSubdirectory("fake-pulumi-bin-").FullName, "pulumi");
// The wrapper notes when the service spawned each command (before the fake's own .NET start-up).
File.WriteAllText(script, $"#!/bin/sh\nprintf '%s %s\\n' \"$(date +%s%3N)\" \"$2\" >> .fake-pulumi/spawn.log\nexec \"{DotnetHost()}\" \"{dll}\" \"$@\"\n");
if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
Environment.SetEnvironmentVariable("PULUMI_BINARY", script);
var secret = WebhookSecret.Parse("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("fleet-stacks-benchmark-secret-32b")));

Console.WriteLine($"fleet-stacks bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, fake pulumi = a JIT .NET process per call");
Console.WriteLine();

// 1. Latency: one webhook at a time into an idle stack, with the default coalesce window and without one.
foreach (var window in new[] { TimeSpan.FromMilliseconds(100), TimeSpan.Zero })
{
    using var project = new BenchProject();
    await using var service = await StartAsync(project, window);
    List<double> spawned = [], running = [];
    for (var i = -1; i < latencyRounds; i++) // round -1 warms the JIT up and is not counted
    {
        var before = project.Ups().Count;
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await service.SendAsync("prod", (i & 1) == 1 ? 3 : 2);
        while (project.Ups().Count == before) await Task.Delay(1);
        if (i >= 0)
        {
            spawned.Add(project.UpSpawns()[^1] - sent);
            running.Add(project.Ups()[^1].StartedAt - sent);
        }
        while (service.Store.PendingCount("prod") > 0) await Task.Delay(2);
    }
    Console.WriteLine($"webhook -> `pulumi up` spawned by the service ({latencyRounds} webhooks, quiet gap {window.TotalMilliseconds:0} ms): p50 {Pct(spawned, 50):0} ms, p99 {Pct(spawned, 99):0} ms (goal <= 1000 ms)");
    Console.WriteLine($"webhook -> fake pulumi up running its main()  ({latencyRounds} webhooks, quiet gap {window.TotalMilliseconds:0} ms): p50 {Pct(running, 50):0} ms, p99 {Pct(running, 99):0} ms");
}
var cli = new List<double>();
using (var project = new BenchProject())
    for (var i = 0; i < 5; i++)
    {
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(new ProcessStartInfo(script, ["--non-interactive", "stack", "output", "pools", "--json", "--stack", "prod"]) { WorkingDirectory = project.Directory, RedirectStandardOutput = true })!;
        await p.WaitForExitAsync();
        cli.Add(clock.Elapsed.TotalMilliseconds);
    }
Console.WriteLine($"for scale: one fake CLI call (a JIT .NET process) takes p50 {Pct(cli, 50):0} ms here; each scale change runs one `config` call before `up`");

// 2. A burst while an `up` runs on each stack: how many next `up`s?
using (var project = new BenchProject())
await using (var service = await StartAsync(project, TimeSpan.FromMilliseconds(100)))
{
    foreach (var stack in BenchProject.Stacks) project.UpBehaves(stack, "gate", "succeed");
    foreach (var stack in BenchProject.Stacks) await service.SendAsync(stack, 3);
    while (!BenchProject.Stacks.All(project.UpRunning)) await Task.Delay(2);
    var (elapsed, answers) = await service.BurstAsync(burst);
    foreach (var stack in BenchProject.Stacks) project.Release(stack);
    while (BenchProject.Stacks.Any(s => service.Store.PendingCount(s) > 0)) await Task.Delay(5);
    var ups = project.Ups();
    Console.WriteLine($"burst of {burst} webhooks over {BenchProject.Stacks.Length} stacks during a running up: {burst / elapsed.TotalSeconds:0} webhooks/s, answer p50 {Pct(answers, 50):0.0} ms p99 {Pct(answers, 99):0.0} ms; "
        + $"next ups: {string.Join(", ", BenchProject.Stacks.Select(s => $"{s} {ups.Count(u => u.Stack == s) - 1}"))} (goal 1 per stack)");
    foreach (var stack in BenchProject.Stacks) Console.WriteLine($"  {stack}: last run {service.Store.LastRun(stack)?.State} {service.Store.LastRun(stack)?.Error}");
}

// 3. The same burst into idle stacks.
using (var project = new BenchProject())
await using (var service = await StartAsync(project, TimeSpan.FromMilliseconds(100)))
{
    var (elapsed, answers) = await service.BurstAsync(burst);
    while (BenchProject.Stacks.Any(s => service.Store.PendingCount(s) > 0)) await Task.Delay(5);
    var ups = project.Ups();
    Console.WriteLine($"burst of {burst} webhooks over {BenchProject.Stacks.Length} idle stacks: {burst / elapsed.TotalSeconds:0} webhooks/s over {elapsed.TotalMilliseconds:0} ms; "
        + $"ups: {string.Join(", ", BenchProject.Stacks.Select(s => $"{s} {ups.Count(u => u.Stack == s)}"))} (coalesce: 100 ms quiet gap, at most 1 s)");
}
return 0;

static double Pct(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

static string DotnetHost() =>
    Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h
    : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

async Task<BenchService> StartAsync(BenchProject project, TimeSpan window)
{
    var options = new StacksOptions(project.Directory, "fleet", BenchProject.Stacks, [secret], null, null, Path.Combine(project.Directory, "stacks.db"),
        "http://127.0.0.1:0", TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), 5, TimeSpan.FromMilliseconds(50), 3, new AutoscalerOptions(), window, TimeSpan.FromSeconds(1));
    var builder = WebApplication.CreateSlimBuilder();
    builder.WebHost.UseUrls(options.Listen);
    builder.Logging.ClearProviders();
    builder.AddFleetStacks(options);
    var app = builder.Build();
    app.MapFleetStacks();
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    return new BenchService(app, new HttpClient { BaseAddress = new Uri(address) }, app.Services.GetRequiredService<OperationStore>(), secret);
}

internal sealed class BenchService(WebApplication app, HttpClient client, OperationStore store, WebhookSecret secret) : IAsyncDisposable
{
    private int _n;

    public OperationStore Store => store;

    public async Task SendAsync(string stack, int nodes)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"stack":"{{stack}}","pool":"burst","nodes":{{nodes}}}""");
        var id = $"msg_{Interlocked.Increment(ref _n)}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/scale") { Content = new ByteArrayContent(body) };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookVerifier.Sign(secret, id, now, body));
        using var response = await client.SendAsync(request);
        if ((int)response.StatusCode != 202) throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Sends <paramref name="count"/> webhooks over every stack from 16 concurrent senders.</summary>
    public async Task<(TimeSpan Elapsed, List<double> AnswerMs)> BurstAsync(int count)
    {
        var answers = new List<double>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await SendAsync(BenchProject.Stacks[i % BenchProject.Stacks.Length], 4 + i % 10); // never the size before the burst (2 or 3)
                lock (answers) answers.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        return (clock.Elapsed, answers);
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }
}
