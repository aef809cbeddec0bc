using System.Net.Sockets;
using System.Numerics;

namespace Fleet.Policy.Net;

/// <summary>
/// The one definition of an acceptable <c>fleet:adminCidrs</c>, shared by the config reader (which refuses the rest)
/// and the policy pack (which trusts only this), so the two cannot drift.
/// </summary>
/// <remarks>
/// The budget is per family and equals the widest single entry: at most 65,536 IPv4 addresses (one /16) and 2^96 IPv6
/// addresses (one /32, a whole ISP allocation) in total, counted over the union so a repeated entry costs nothing.
/// Admin sources are office, VPN and CI egress addresses — a few /32s to /24s and IPv6 /48s to /64s — so the budget
/// never binds a real fleet, while splitting the internet into 65,536 separate /16s no longer adds up to the internet.
/// The two families are separate budgets because one reaches no address of the other.
/// </remarks>
public static class AdminPlane
{
    /// <summary>The widest IPv4 entry, and the IPv4 budget of the whole list.</summary>
    public const int MaxPrefixV4 = 16;

    /// <summary>The widest IPv6 entry, and the IPv6 budget of the whole list.</summary>
    public const int MaxPrefixV6 = 32;

    /// <summary>Addresses one family's entries may span together.</summary>
    public static BigInteger Budget(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? BigInteger.One << (32 - MaxPrefixV4) : BigInteger.One << (128 - MaxPrefixV6);

    /// <summary>The widest prefix an entry of <paramref name="family"/> may have.</summary>
    public static int MaxPrefix(AddressFamily family) => family == AddressFamily.InterNetwork ? MaxPrefixV4 : MaxPrefixV6;

    /// <summary>What is wrong with one entry on its own.</summary>
    public static AdminRangeProblem Check(IpRange range)
    {
        if (range.Size > Budget(range.Family)) return AdminRangeProblem.TooWide;
        return range.Family == AddressFamily.InterNetworkV6 && Ipv4Translation.Find(range) is not null ? AdminRangeProblem.EmbedsIpv4 : AdminRangeProblem.None;
    }

    /// <summary>The addresses the acceptable entries of <paramref name="family"/> span together (overlaps counted once).</summary>
    public static BigInteger Span(IEnumerable<IpRange> ranges, AddressFamily family) =>
        new IpRangeSet(ranges.Where(r => r.Family == family && Check(r) == AdminRangeProblem.None)).Size(family);

    /// <summary>True when the acceptable entries of <paramref name="family"/> stay within its budget.</summary>
    public static bool WithinBudget(IEnumerable<IpRange> ranges, AddressFamily family) => Span(ranges, family) <= Budget(family);

    /// <summary>
    /// The admin sources the policy pack trusts: entries acceptable on their own, and none of a family whose entries
    /// exceed its budget together. Admin ports open to anything else are open to the internet.
    /// </summary>
    public static IpRangeSet Trusted(IEnumerable<string> cidrs)
    {
        var ranges = cidrs.Select(c => IpRange.TryParse(c, out var r) ? r : (IpRange?)null).Where(r => r is not null).Select(r => r!.Value).ToArray();
        var families = ranges.Select(r => r.Family).Distinct().Where(f => WithinBudget(ranges, f)).ToHashSet();
        return new IpRangeSet(ranges.Where(r => Check(r) == AdminRangeProblem.None && families.Contains(r.Family)));
    }
}
