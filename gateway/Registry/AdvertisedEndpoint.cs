using System.Net;
using System.Net.Sockets;
using Fleet.Gateway.Configuration;

namespace Fleet.Gateway.Registry;

/// <summary>
/// Where a node may ask to be sent client traffic: only its own address — the source address of its heartbeat, which
/// must lie inside the fleet's private network — on the agent port, over plain HTTP, with no user info, path or query.
/// The gateway stores its own canonical <c>http://address:port</c>, never the node's text.
/// </summary>
public static class AdvertisedEndpoint
{
    /// <summary>Checks <paramref name="endpoint"/> as advertised by a heartbeat that arrived from <paramref name="remote"/>.</summary>
    public static EndpointVerdict Check(string? endpoint, IPAddress? remote, GatewayOptions options)
    {
        var port = options.AgentPort == 0 ? "<agent port>" : options.AgentPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var shape = $"expected http://<this node's private address>:{port}";
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            return EndpointVerdict.Invalid($"\"endpoint\" is '{endpoint}'; {shape}");
        if (uri.UserInfo.Length > 0 || endpoint!.Contains('@'))
            return EndpointVerdict.Invalid($"\"endpoint\" must not carry user info; {shape}");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return EndpointVerdict.Invalid($"\"endpoint\" must not have a path, query or fragment; {shape}");
        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !IPAddress.TryParse(uri.DnsSafeHost, out var advertised))
            return EndpointVerdict.Invalid($"\"endpoint\" names the host '{uri.Host}'; a node advertises its IP address, {shape}");

        if (remote is null) return EndpointVerdict.Forbidden("the heartbeat's source address is unknown");
        remote = Normalize(remote);
        advertised = Normalize(advertised);
        if (!options.PrivateNetworks.Any(n => n.Contains(remote)))
            return EndpointVerdict.Forbidden($"the heartbeat came from {remote}, outside the fleet's private network " +
                                             $"({string.Join(", ", options.PrivateNetworks)}, FLEET_PRIVATE_CIDR)");
        if (!advertised.Equals(remote))
            return EndpointVerdict.Forbidden($"\"endpoint\" names {advertised} but the heartbeat came from {remote}; a node may only advertise its own address");
        if (options.AgentPort != 0 && uri.Port != options.AgentPort)
            return EndpointVerdict.Forbidden($"\"endpoint\" names port {uri.Port}; agents listen on port {options.AgentPort} (FLEET_AGENT_PORT)");

        var host = remote.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{remote}]" : remote.ToString();
        return EndpointVerdict.Allowed($"http://{host}:{uri.Port}");
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
