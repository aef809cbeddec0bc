using System.Net.Sockets;
using System.Numerics;
using Fleet.Policy.Net;

namespace Fleet.Infra.Configuration;

/// <summary>
/// <c>fleet:adminCidrs</c>: who may reach SSH and the orchestrator API. Judged by <see cref="AdminPlane"/>, the same
/// definition the policy pack trusts: each entry a CIDR with host bits zero, no wider than /16 or /32, embedding no
/// IPv4 (mapped, compatible, NAT64, Teredo, 6to4), and the whole list within one /16 of IPv4 and one /32 of IPv6.
/// </summary>
public static class AdminCidrsReader
{
    private const string Example = "203.0.113.7/32";

    /// <summary>Reports every bad entry and an over-budget total; true when the list is acceptable.</summary>
    public static bool Check(ConfigFieldReader f, IReadOnlyList<string> admin, string ns)
    {
        var ok = true;
        var ranges = new List<IpRange>();
        for (var i = 0; i < admin.Count; i++)
        {
            var path = $"{ns}adminCidrs[{i}]";
            var fix = ConfigFix.Set(path, Example);
            if (!NetworkReader.TryParse(admin[i], out _) || !IpRange.TryParse(admin[i], out var range))
            {
                f.Bag.Error(ConfigCodes.BadFormat, path, $"{path} \"{ConfigFieldReader.Printable(admin[i])}\" is not a CIDR with its host bits zero (e.g. 203.0.113.7/32 or 2001:db8::/48)", fix);
                ok = false;
                continue;
            }
            switch (AdminPlane.Check(range))
            {
                case AdminRangeProblem.EmbedsIpv4:
                    var (block, what) = Ipv4Translation.Find(range)!.Value;
                    f.Bag.Error(ConfigCodes.NotAllowed, path, $"{path} \"{admin[i]}\" overlaps {block}, {what}: its addresses stand for IPv4 hosts, so it could admit the IPv4 internet to SSH and the orchestrator API; list the IPv4 address itself (e.g. 203.0.113.7/32) or a native IPv6 prefix", fix);
                    ok = false;
                    continue;
                case AdminRangeProblem.TooWide:
                    f.Bag.Error(ConfigCodes.NotAllowed, path, $"{path} \"{admin[i]}\" is wider than /{AdminPlane.MaxPrefix(range.Family)} and would open SSH and the orchestrator API to a large part of the internet; list your office/VPN/CI egress addresses instead", fix);
                    ok = false;
                    continue;
            }
            ranges.Add(range);
        }
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var span = AdminPlane.Span(ranges, family);
            if (span <= AdminPlane.Budget(family)) continue;
            var name = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
            var count = ranges.Count(r => r.Family == family);
            f.Bag.Error(ConfigCodes.OutOfRange, ns + "adminCidrs",
                $"{ns}adminCidrs: its {count} {name} entries together span {Describe(span, family)}, more than one /{AdminPlane.MaxPrefix(family)} ({Describe(AdminPlane.Budget(family), family)}); many narrow ranges add up to the internet just as one wide range does; list only your office/VPN/CI egress addresses",
                ConfigFix.Set(ns + "adminCidrs", $"'[\"{Example}\"]'"));
            ok = false;
        }
        return ok;
    }

    /// <summary>An address count as a power of two when it is one (2^96), else in digits.</summary>
    private static string Describe(BigInteger addresses, AddressFamily family)
    {
        var bits = (int)(addresses.GetBitLength() - 1);
        var exact = BigInteger.One << bits == addresses;
        return family == AddressFamily.InterNetwork || !exact ? $"{addresses} addresses" : $"2^{bits} addresses";
    }
}
