using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Native;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Aot;

/// <summary>
/// The one NativeAOT publish of the suite: the native binary serves the generated model, picked an AVX build (not
/// the noavx fallback LLamaSharp's own detection gives under AOT), and exits 0 after draining on SIGTERM.
/// </summary>
public sealed partial class AotSmokeTests
{
    [Fact]
    public async Task Published_native_binary_answers_uses_an_avx_build_and_drains_on_sigterm()
    {
        var output = TestModels.NewPath("aot");
        string[] artifacts = RepositoryPaths.ArtifactsRoot is { } root ? ["--artifacts-path", root] : [];
        var (code, log) = await RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            ["publish", RepositoryPaths.Agent, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "--nologo", .. artifacts]);
        Assert.True(code == 0, "dotnet publish -p:PublishAot=true failed:\n" + log);
        var binary = Path.Combine(output, "fleet-agent");
        Assert.True(File.Exists(binary));

        var port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["FLEET_MODEL_PATH"] = TestModels.Scripted,
                ["FLEET_THREADS"] = "2",
                ["FLEET_CONTEXT_SIZE"] = "65536", // 4 slots x 16 384 tokens: room for a prompt that takes seconds to read
                ["FLEET_DRAIN_TIMEOUT_SECONDS"] = "2",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            },
        };
        using var agent = Process.Start(start)!;
        var stdout = new StringBuilder();
        var logLines = new List<string>();
        agent.OutputDataReceived += (_, e) =>
        {
            lock (stdout)
            {
                stdout.AppendLine(e.Data);
                if (!string.IsNullOrEmpty(e.Data)) logLines.Add(e.Data);
            }
        };
        agent.ErrorDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await WaitReadyAsync(http, agent, stdout);

            using var response = await http.PostAsJsonAsync("v1/completions", new { prompt = "one two three", max_tokens = 4, temperature = 0 });
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(" four five six seven", doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());

            var metrics = await http.GetStringAsync("metrics");
            var expected = CpuFeatures.Name(CpuFeatures.Detect());
            Assert.NotEqual("none", expected);
            Assert.Contains($"fleet_agent_backend_info{{backend=\"cpu\",avx=\"{expected}\",build=\"Cpu\"}} 1", metrics);

            // SIGTERM while a 10 000-token prompt is being read (seconds of prefill): the drain deadline cuts it at the
            // next 512-token piece, and the process exits 0 within the limit instead of crashing natively.
            var reading = http.PostAsJsonAsync("v1/completions", new { prompt = string.Join(" ", Enumerable.Repeat("one", 10_000)), max_tokens = 1 });
            await Task.Delay(1000);
            Assert.False(reading.IsCompleted, "the long prompt should still be read when SIGTERM arrives");
            var stopping = Stopwatch.StartNew();
            Assert.Equal(0, Kill(agent.Id, 15)); // SIGTERM
            Assert.True(agent.WaitForExit(30_000), "the agent did not exit after SIGTERM");
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"exit took {stopping.Elapsed} with a 2 s drain limit");
            agent.WaitForExit();
            Assert.Equal(0, agent.ExitCode);
            lock (stdout)
            {
                Assert.Contains("draining: no new requests", stdout.ToString());
                AssertJsonLogLines(logLines);
            }
        }
        finally
        {
            if (!agent.HasExited) agent.Kill();
            agent.WaitForExit();
            Directory.Delete(output, recursive: true); // ~70 MB of binary and native libraries
        }
    }

    /// <summary>The default format: one JSON object per line with a UTC timestamp, level, category and message.</summary>
    private static void AssertJsonLogLines(List<string> lines)
    {
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var timestamp = entry.RootElement.GetProperty("Timestamp").GetString()!;
            Assert.EndsWith("Z", timestamp);
            Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture).Offset);
            Assert.NotNull(entry.RootElement.GetProperty("LogLevel").GetString());
            Assert.NotNull(entry.RootElement.GetProperty("Category").GetString());
            Assert.NotNull(entry.RootElement.GetProperty("Message").GetString());
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process agent, StringBuilder stdout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(agent.HasExited, "agent exited:\n" + stdout);
            try
            {
                if ((await http.GetAsync("ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("agent not ready in 30 s:\n" + stdout);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
