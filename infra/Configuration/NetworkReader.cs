using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Fleet.Policy.Net;

namespace Fleet.Infra.Configuration;

/// <summary><c>fleet:adminCidrs</c> and <c>fleet:networkCidr</c>.</summary>
public static class NetworkReader
{
    /// <summary>
    /// The default private network of a stack: a /20 in 10.128.0.0–10.199.255.255 chosen by a stable hash of project and
    /// stack, so two stacks in one DigitalOcean account (where VPC ranges may not overlap) get different ranges. Clear of
    /// k3s (10.42/15) and the Swarm overlay pool Fleet sets (10.240/16). Set fleet:networkCidr to choose one yourself.
    /// </summary>
    public static string DefaultNetworkCidr(string project, string stack)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{project}/{stack}"));
        var n = (hash[0] << 8 | hash[1]) % (72 * 16);
        return $"10.{128 + n / 16}.{n % 16 * 16}.0/20";
    }

    /// <summary>Admin CIDRs wider than this are refused: they are the internet with extra steps (0.0.0.0/1 + 128.0.0.0/1).</summary>
    public const int MinAdminPrefixV4 = AdminPlane.MaxPrefixV4;

    /// <inheritdoc cref="MinAdminPrefixV4"/>
    public const int MinAdminPrefixV6 = AdminPlane.MaxPrefixV6;

    /// <summary>Address ranges the cluster itself uses inside nodes; the private network must not overlap them.</summary>
    public static readonly string[] ReservedRanges = ["10.42.0.0/16", "10.43.0.0/16", "10.240.0.0/16"];

    public static (IReadOnlyList<string> AdminCidrs, string NetworkCidr)? Read(ConfigFieldReader f, JsonNode? adminNode, JsonNode? networkNode, string ns, string defaultCidr)
    {
        var ok = true;
        var admin = f.StringList(adminNode, ns + "adminCidrs", "'[\"203.0.113.7/32\"]'", required: true);
        if (admin is { Count: 0 })
        {
            f.Bag.Error(ConfigCodes.Missing, ns + "adminCidrs", $"{ns}adminCidrs is empty; at least one CIDR must reach SSH and the orchestrator API", ConfigFix.Set(ns + "adminCidrs[0]", "203.0.113.7/32"));
            ok = false;
        }
        if (admin is not null && !AdminCidrsReader.Check(f, admin, ns)) ok = false;

        var cidr = defaultCidr;
        if (networkNode is not null)
        {
            var text = f.String(networkNode, ns + "networkCidr", defaultCidr, required: true);
            if (text is null) ok = false;
            else if (!TryParse(text, out var net) || net.BaseAddress.AddressFamily != AddressFamily.InterNetwork || net.PrefixLength is < 16 or > 24 || !IsPrivate(net))
            {
                f.Bag.Error(ConfigCodes.BadFormat, ns + "networkCidr", $"{ns}networkCidr \"{ConfigFieldReader.Printable(text)}\" must be a private IPv4 range (10/8, 172.16/12, 192.168/16) between /16 and /24 with host bits zero", ConfigFix.Set(ns + "networkCidr", defaultCidr));
                ok = false;
            }
            else if (ReservedRanges.Select(r => IPNetwork.Parse(r)).FirstOrDefault(r => Overlaps(r, net)) is { } clash && clash.PrefixLength > 0)
            {
                f.Bag.Error(ConfigCodes.Conflict, ns + "networkCidr", $"{ns}networkCidr \"{text}\" overlaps {clash}, which the cluster uses for pods, services or overlay networks", ConfigFix.Set(ns + "networkCidr", defaultCidr));
                ok = false;
            }
            else cidr = text;
        }
        return ok && admin is not null ? (admin, cidr) : null;
    }

    /// <summary>A CIDR whose written address is its network address: <c>203.0.113.7/24</c> is refused, not silently widened.</summary>
    public static bool TryParse(string text, out IPNetwork network)
    {
        var slash = text.IndexOf('/');
        return IPNetwork.TryParse(text, out network) && slash > 0
            && IPAddress.TryParse(text[..slash], out var written) && written.Equals(network.BaseAddress);
    }

    private static bool IsPrivate(IPNetwork net) =>
        new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16" }.Any(p => IPNetwork.Parse(p).Contains(net.BaseAddress) && IPNetwork.Parse(p).PrefixLength <= net.PrefixLength);

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);
}
