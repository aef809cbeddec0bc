namespace Fleet.Gateway.Bench;

/// <summary>Sorted latencies (ms) of one run, its wall time and its non-200 count.</summary>
public sealed record LoadResult(double[] LatenciesMs, TimeSpan Elapsed, int Errors)
{
    public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(p * LatenciesMs.Length) - 1)];
    public double RequestsPerSecond => LatenciesMs.Length / Elapsed.TotalSeconds;
}
