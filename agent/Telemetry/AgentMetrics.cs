using System.Collections.Concurrent;

namespace Fleet.Agent.Telemetry;

/// <summary>The agent's counters, gauges and histograms; rendered by <see cref="PrometheusText"/>.</summary>
public sealed class AgentMetrics(TimeProvider time)
{
    /// <summary>Upper bounds (seconds) of the time-to-first-token histogram.</summary>
    public static readonly double[] TtftBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Endpoint, int Status), long> _requests = new();
    private readonly long[] _ttftCounts = new long[TtftBuckets.Length + 1];
    private readonly Lock _ttftGate = new();
    private long _promptTokens;
    private long _completionTokens;
    private long _cachedPromptTokens;
    private double _ttftSum;
    private long _ttftCount;

    public ThroughputMeter Throughput { get; } = new(time);
    public LatencyWindow TtftWindow { get; } = new();
    public double ModelLoadSeconds { get; set; }

    public long PromptTokens => Interlocked.Read(ref _promptTokens);
    public long CompletionTokens => Interlocked.Read(ref _completionTokens);

    /// <summary>Prompt tokens whose KV came from the prompt cache instead of being decoded.</summary>
    public long CachedPromptTokens => Interlocked.Read(ref _cachedPromptTokens);

    public void CachedPrompt(int tokens) => Interlocked.Add(ref _cachedPromptTokens, tokens);

    public void Request(string endpoint, int status) => _requests.AddOrUpdate((endpoint, status), 1, (_, n) => n + 1);

    public void Tokens(int prompt, int completion)
    {
        Interlocked.Add(ref _promptTokens, prompt);
        Interlocked.Add(ref _completionTokens, completion);
    }

    public void Generated(int tokens) => Throughput.Add(tokens);

    public void FirstToken(TimeSpan ttft)
    {
        TtftWindow.Add(ttft.TotalMilliseconds);
        var s = ttft.TotalSeconds;
        var i = Array.FindIndex(TtftBuckets, b => s <= b);
        lock (_ttftGate)
        {
            _ttftCounts[i < 0 ? TtftBuckets.Length : i]++;
            _ttftSum += s;
            _ttftCount++;
        }
    }

    public IReadOnlyList<KeyValuePair<(string Endpoint, int Status), long>> Requests() =>
        _requests.OrderBy(r => r.Key.Endpoint, StringComparer.Ordinal).ThenBy(r => r.Key.Status).ToList();

    /// <summary>Cumulative bucket counts (last is +Inf), sum and count, read together.</summary>
    public (long[] Cumulative, double Sum, long Count) Ttft()
    {
        lock (_ttftGate)
        {
            var cumulative = new long[_ttftCounts.Length];
            long running = 0;
            for (var i = 0; i < _ttftCounts.Length; i++) cumulative[i] = running += _ttftCounts[i];
            return (cumulative, _ttftSum, _ttftCount);
        }
    }
}
