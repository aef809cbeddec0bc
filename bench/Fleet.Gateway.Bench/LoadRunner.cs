using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Fleet.Gateway.Bench;

/// <summary>Closed-loop load: N workers send chat completions back to back for a fixed time; every latency is kept.</summary>
public static class LoadRunner
{
    private const string Body = """{"model":"tiny","messages":[{"role":"user","content":"Say hello."}],"max_tokens":8}""";

    public static async Task<LoadResult> RunAsync(Uri target, string apiKey, int concurrency, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = target };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var body = Encoding.UTF8.GetBytes(Body);
        var stop = Stopwatch.StartNew();
        var errors = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(100_000);
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/v1/chat/completions", content);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return latencies;
        })).ToList();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).Order().ToArray();
        return new LoadResult(all, stop.Elapsed, errors);
    }
}
