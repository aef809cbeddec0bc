namespace Fleet.Agent.Telemetry;

/// <summary>The last <c>capacity</c> latency samples, for percentiles in heartbeats.</summary>
public sealed class LatencyWindow(int capacity = 256)
{
    private readonly double[] _samples = new double[capacity];
    private readonly Lock _gate = new();
    private int _count;
    private int _next;

    public void Add(double ms)
    {
        lock (_gate)
        {
            _samples[_next] = ms;
            _next = (_next + 1) % _samples.Length;
            _count = Math.Min(_count + 1, _samples.Length);
        }
    }

    /// <summary>Nearest-rank percentile (0..100) of the window, or null when empty.</summary>
    public double? Percentile(double p)
    {
        double[] copy;
        lock (_gate) copy = _samples[.._count];
        if (copy.Length == 0) return null;
        Array.Sort(copy);
        var rank = (int)Math.Ceiling(p / 100 * copy.Length);
        return copy[Math.Clamp(rank - 1, 0, copy.Length - 1)];
    }
}
