using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

/// <summary>Logs: one JSON line per entry in UTC by default, levels set in code, and never a key.</summary>
public sealed partial class LoggingTests
{
    [Fact]
    public async Task A_key_in_the_query_string_is_neither_logged_nor_forwarded_even_at_trace()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var secret = fleet.Key.Secret;
        using var http = fleet.Client();
        using var anonymous = fleet.Gateway.Client(null);

        await anonymous.GetAsync($"/v1/models?api_key={secret}");
        await http.PostAsync($"/v1/chat/completions?key={secret}", TestFleet.ChatBody());
        await anonymous.GetAsync($"/nowhere?api_key={secret}");

        Assert.Equal(1, fleet["a1"].Served);
        Assert.Equal("", Assert.Single(fleet["a1"].Queries));
        Assert.DoesNotContain(secret, string.Join("\n", fleet.Gateway.Logs.Lines)); // the test logger takes every level
    }

    [Fact]
    public async Task The_gateway_process_writes_utc_json_lines_whatever_its_working_directory_and_never_a_key()
    {
        var (lines, secret) = await RunGatewayAsync(new() { ["Logging__LogLevel__Default"] = "Trace", ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__Console__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace" });

        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line); // every line is one JSON object
            var timestamp = entry.RootElement.GetProperty("Timestamp").GetString()!;
            Assert.Matches(UtcTimestamp(), timestamp);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _) && entry.RootElement.TryGetProperty("LogLevel", out _), line);
        }
        Assert.Contains(lines, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Press Ctrl+C", StringComparison.Ordinal)); // readable, not \u002B
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FLEET_LOG_FORMAT_text_writes_single_lines_with_utc_timestamps()
    {
        var (lines, secret) = await RunGatewayAsync(new() { ["FLEET_LOG_FORMAT"] = "text" });

        Assert.Contains(lines, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", l));
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    // Runs the built gateway as its own process from an empty temp directory (no appsettings.json there), sends a key
    // in a query string, stops it with SIGTERM, and returns its stdout lines.
    private static async Task<(List<string> Lines, string Secret)> RunGatewayAsync(Dictionary<string, string> env)
    {
        var dir = Directory.CreateTempSubdirectory("fleet-gateway-logs-").FullName;
        var secret = $"sk-query-{Guid.NewGuid():N}";
        File.WriteAllText(Path.Combine(dir, "keys.json"), $$"""{"keys":[{"name":"k","sha256":"{{SecretHash.HexOf(secret)}}","requestsPerMinute":60,"tokensPerMinute":1000}]}""");
        File.WriteAllText(Path.Combine(dir, "nodes.json"), """{"nodes":[]}""");
        File.WriteAllText(Path.Combine(dir, "admin"), "admin-token-for-the-log-test");
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "Fleet.Gateway.dll")}\"")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("FLEET_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["FLEET_NODES_FILE"] = Path.Combine(dir, "nodes.json");
        start.Environment["FLEET_API_KEYS_FILE"] = Path.Combine(dir, "keys.json");
        start.Environment["FLEET_ADMIN_TOKEN_FILE"] = Path.Combine(dir, "admin");
        foreach (var (k, v) in env) start.Environment[k] = v;

        var lines = new List<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (string.IsNullOrEmpty(e.Data)) return;
            lock (lines) lines.Add(e.Data);
            if (ListeningOn().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.Start();
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = address };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/v1/models?api_key={secret}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/missing?api_key={secret}")).StatusCode);
            http.DefaultRequestHeaders.Authorization = new("Bearer", secret);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/v1/models?api_key={secret}")).StatusCode);
        }
        finally
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Directory.Delete(dir, recursive: true);
        }
        Assert.Equal("", await stderr);
        lock (lines) return ([.. lines], secret);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex UtcTimestamp();

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
