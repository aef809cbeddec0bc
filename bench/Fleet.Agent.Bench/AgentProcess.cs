using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Fleet.Agent.Bench;

/// <summary>The published NativeAOT agent as a child process, driven over HTTP on loopback.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process, HttpClient http, TimeSpan startToListening)
    {
        _process = process;
        Http = http;
        StartToListening = startToListening;
    }

    public HttpClient Http { get; }
    public TimeSpan StartToListening { get; }
    public int Pid => _process.Id;

    public static async Task<AgentProcess> StartAsync(string binary, IDictionary<string, string> env)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env) info.Environment[k] = v;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        TimeSpan listening;
        while (true)
        {
            try
            {
                using var s = new TcpClient();
                await s.ConnectAsync(IPAddress.Loopback, port);
                listening = clock.Elapsed;
                break;
            }
            catch (SocketException)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("agent did not listen");
                await Task.Delay(1);
            }
        }

        while ((await http.GetAsync("ready")).StatusCode != HttpStatusCode.OK) await Task.Delay(10);
        return new AgentProcess(process, http, listening);
    }

    /// <summary>Aggregate generated tokens/s of <paramref name="streams"/> concurrent SSE streams.</summary>
    public async Task<double> StreamTokensPerSecondAsync(int streams, string prompt, int tokens)
    {
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => StreamAsync(prompt, tokens)));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Milliseconds from sending a streamed completion to its first generated text, and the prompt tokens the agent
    /// reported as cached (<c>usage.prompt_tokens_details.cached_tokens</c>).
    /// </summary>
    public async Task<(double Milliseconds, int CachedTokens)> TimeToFirstTokenAsync(string prompt)
    {
        var clock = Stopwatch.StartNew();
        using var response = await Http.SendAsync(Completion(prompt, 1), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double first = -1;
        var cached = -1;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal)) continue;
            if (first < 0 && line.Contains("\"text\":\"", StringComparison.Ordinal) && !line.Contains("\"text\":\"\"", StringComparison.Ordinal))
                first = clock.Elapsed.TotalMilliseconds;
            using var doc = JsonDocument.Parse(line[6..]);
            if (doc.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                cached = usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
        }

        if (first < 0) throw new InvalidOperationException("the agent streamed no text");
        return (first, cached);
    }

    /// <summary>VmHWM: the peak resident set of the agent process.</summary>
    public long PeakRssBytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Http.Dispose();
    }

    private async Task<int> StreamAsync(string prompt, int tokens)
    {
        using var response = await Http.SendAsync(Completion(prompt, tokens), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var completion = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            // Parse only the usage event: on a 2-core box the client's JSON work would be charged to the agent.
            if (!line.StartsWith("data: {", StringComparison.Ordinal) || !line.Contains("\"usage\"", StringComparison.Ordinal)) continue;
            using var doc = JsonDocument.Parse(line[6..]);
            if (doc.RootElement.TryGetProperty("usage", out var usage)) completion = usage.GetProperty("completion_tokens").GetInt32();
        }

        return completion;
    }

    private static HttpRequestMessage Completion(string prompt, int tokens) => new(HttpMethod.Post, "v1/completions")
    {
        Content = JsonContent.Create(new Dictionary<string, object>
        {
            ["prompt"] = prompt,
            ["max_tokens"] = tokens,
            ["temperature"] = 0,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = true },
        }),
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
