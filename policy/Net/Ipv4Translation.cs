namespace Fleet.Policy.Net;

/// <summary>
/// IPv6 ranges whose addresses stand for IPv4 hosts: a firewall rule for one of them admits (a translation of) the IPv4
/// internet, however narrow the prefix looks. Any range that overlaps one of these is refused as an admin source.
/// </summary>
public static class Ipv4Translation
{
    /// <summary>The blocks, each with what it is (RFC) for messages.</summary>
    public static readonly IReadOnlyList<(IpRange Range, string Cidr, string What)> Blocks =
    [
        Block("::/96", "IPv4-compatible addresses (RFC 4291; includes :: and ::1)"),
        Block("::ffff:0:0/96", "IPv4-mapped addresses (RFC 4291)"),
        Block("::ffff:0:0:0/96", "IPv4-translated addresses (SIIT, RFC 2765)"),
        Block("64:ff9b::/96", "the NAT64 well-known prefix (RFC 6052)"),
        Block("64:ff9b:1::/48", "the local-use NAT64 prefix (RFC 8215)"),
        Block("2001::/32", "Teredo (RFC 4380)"),
        Block("2002::/16", "6to4 (RFC 3056)"),
    ];

    /// <summary>The first block <paramref name="range"/> overlaps, or null when it embeds no IPv4 address.</summary>
    public static (string Cidr, string What)? Find(IpRange range)
    {
        foreach (var (block, cidr, what) in Blocks)
            if (block.Overlaps(range)) return (cidr, what);
        return null;
    }

    private static (IpRange, string, string) Block(string cidr, string what) => (IpRange.Parse(cidr), cidr, what);
}
