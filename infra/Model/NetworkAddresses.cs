using System.Net;

namespace Fleet.Infra.Model;

/// <summary>Addresses inside the fleet's private network.</summary>
public static class NetworkAddresses
{
    /// <summary>The <paramref name="n"/>-th host of an IPv4 CIDR (1 = the first after the network address).</summary>
    public static string Host(string cidr, int n)
    {
        var network = IPNetwork.Parse(cidr);
        var bytes = network.BaseAddress.GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) + (uint)n;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }
}
