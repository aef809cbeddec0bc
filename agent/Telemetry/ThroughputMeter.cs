namespace Fleet.Agent.Telemetry;

/// <summary>Generated tokens per second over the last <see cref="WindowSeconds"/> whole seconds.</summary>
public sealed class ThroughputMeter(TimeProvider time)
{
    public const int WindowSeconds = 10;
    private readonly long[] _counts = new long[WindowSeconds + 1];
    private readonly long[] _second = new long[WindowSeconds + 1];
    private readonly Lock _gate = new();

    public void Add(int tokens)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var i = (int)(now % _counts.Length);
        lock (_gate)
        {
            if (_second[i] != now)
            {
                _second[i] = now;
                _counts[i] = 0;
            }

            _counts[i] += tokens;
        }
    }

    public double TokensPerSecond()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long sum = 0;
        lock (_gate)
            for (var i = 0; i < _counts.Length; i++)
                if (_second[i] < now && _second[i] >= now - WindowSeconds) sum += _counts[i];
        return sum / (double)WindowSeconds;
    }
}
