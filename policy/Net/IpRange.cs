using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Fleet.Policy.Net;

/// <summary>An inclusive range of addresses of one family, from a CIDR; the arithmetic scanners skip.</summary>
public readonly record struct IpRange(AddressFamily Family, BigInteger First, BigInteger Last)
{
    /// <summary>Parses <c>203.0.113.0/24</c>, <c>::/0</c>, or a bare address (a /32 or /128). Host bits are masked.</summary>
    public static bool TryParse(string text, out IpRange range)
    {
        range = default;
        var slash = text.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address)) return false;
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], out prefix) || prefix < 0 || prefix > bits)) return false;
        var value = new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var hostMask = (BigInteger.One << (bits - prefix)) - 1;
        var first = value & ~hostMask & ((BigInteger.One << bits) - 1);
        range = new IpRange(address.AddressFamily, first, first | hostMask);
        return true;
    }

    public static IpRange Parse(string text) => TryParse(text, out var r) ? r : throw new FormatException($"not an address or CIDR: {text}");

    public BigInteger Size => Last - First + 1;

    public bool Overlaps(IpRange other) => Family == other.Family && First <= other.Last && other.First <= Last;
}
