using System.Numerics;

namespace Fleet.Policy.Net;

/// <summary>A union of address ranges; answers "is this range entirely inside the union?" exactly.</summary>
public sealed class IpRangeSet
{
    private readonly List<IpRange> _ranges;

    public IpRangeSet(IEnumerable<IpRange> ranges) => _ranges = Merge(ranges);

    public static IpRangeSet Of(IEnumerable<string> cidrs) =>
        new(cidrs.Select(c => IpRange.TryParse(c, out var r) ? r : (IpRange?)null).Where(r => r is not null).Select(r => r!.Value));

    /// <summary>Private, loopback, link-local and unique-local space: never "the public internet".</summary>
    public static readonly IpRangeSet NonPublic = Of(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10", "::1/128", "fc00::/7", "fe80::/10"]);

    /// <summary>The number of addresses of <paramref name="family"/> in the set.</summary>
    public BigInteger Size(System.Net.Sockets.AddressFamily family) =>
        _ranges.Where(r => r.Family == family).Aggregate(BigInteger.Zero, (sum, r) => sum + r.Size);

    public IpRangeSet Union(IpRangeSet other) => new(_ranges.Concat(other._ranges));

    /// <summary>True when every address of <paramref name="range"/> is in this set.</summary>
    public bool Covers(IpRange range)
    {
        var next = range.First;
        foreach (var r in _ranges.Where(r => r.Family == range.Family))
        {
            if (r.First > next) break;
            if (r.Last >= next) next = r.Last + 1;
            if (next > range.Last) return true;
        }
        return next > range.Last;
    }

    /// <summary>The parts of <paramref name="range"/> outside this set, as a count of addresses.</summary>
    public BigInteger Uncovered(IpRange range)
    {
        BigInteger covered = 0;
        foreach (var r in _ranges.Where(r => r.Overlaps(range)))
            covered += BigInteger.Min(r.Last, range.Last) - BigInteger.Max(r.First, range.First) + 1;
        return range.Size - covered;
    }

    private static List<IpRange> Merge(IEnumerable<IpRange> ranges)
    {
        var merged = new List<IpRange>();
        foreach (var r in ranges.OrderBy(r => r.Family).ThenBy(r => r.First))
        {
            if (merged.Count > 0 && merged[^1].Family == r.Family && r.First <= merged[^1].Last + 1)
                merged[^1] = merged[^1] with { Last = BigInteger.Max(merged[^1].Last, r.Last) };
            else merged.Add(r);
        }
        return merged;
    }
}
