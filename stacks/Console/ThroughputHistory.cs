namespace Fleet.Stacks.Console;

/// <summary>
/// A bounded in-memory ring of the gateway's totals, one sample per interval for one hour, turned into rates when read.
/// A counter lower than the one before means the gateway restarted: its new count happened within the interval, so it is
/// taken whole. Samples further apart than twice the interval (the gateway did not answer) leave a gap, not a made-up rate.
/// </summary>
public sealed class ThroughputHistory
{
    /// <summary>How far back the console shows.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly Queue<Sample> _samples;
    private readonly TimeProvider _time;

    public ThroughputHistory(TimeProvider time, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the sampling interval must be positive");
        (_time, Interval) = (time, interval);
        Capacity = (int)Math.Ceiling(Window / interval) + 1;
        _samples = new Queue<Sample>(Math.Min(Capacity, 4096));
    }

    public TimeSpan Interval { get; }

    /// <summary>The most samples kept: one hour's worth plus the one that starts it.</summary>
    public int Capacity { get; }

    /// <summary>Records the gateway's totals now (<paramref name="requestsForwarded"/> is a counter).</summary>
    public void Record(long requestsForwarded, double tokensPerSecond)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            _samples.Enqueue(new Sample(now, requestsForwarded, tokensPerSecond));
            while (_samples.Count > Capacity || _samples.Peek().At < now - Window) _samples.Dequeue();
        }
    }

    /// <summary>The samples of the last hour as rates, oldest first.</summary>
    public ConsoleThroughput Read()
    {
        Sample[] samples;
        lock (_lock) samples = [.. _samples];
        var since = _time.GetUtcNow() - Window;
        var points = new List<ThroughputPoint>(samples.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            var s = samples[i];
            if (s.At < since) continue;
            double? rate = null;
            if (i > 0 && s.At - samples[i - 1].At is var dt && dt > TimeSpan.Zero && dt <= 2 * Interval)
            {
                var previous = samples[i - 1].Requests;
                rate = (s.Requests >= previous ? s.Requests - previous : s.Requests) / dt.TotalSeconds;
            }
            points.Add(new ThroughputPoint(s.At, rate, s.TokensPerSecond));
        }
        return new ConsoleThroughput(Interval.TotalSeconds, points);
    }

    private sealed record Sample(DateTimeOffset At, long Requests, double TokensPerSecond);
}
