namespace Fleet.Policy.Net;

/// <summary>Why an admin source range cannot be trusted as "not the internet".</summary>
public enum AdminRangeProblem
{
    /// <summary>Acceptable on its own.</summary>
    None,

    /// <summary>Wider than <see cref="AdminPlane.MaxPrefixV4"/> / <see cref="AdminPlane.MaxPrefixV6"/>.</summary>
    TooWide,

    /// <summary>Overlaps a range that embeds or translates IPv4 (<see cref="Ipv4Translation"/>).</summary>
    EmbedsIpv4,
}
