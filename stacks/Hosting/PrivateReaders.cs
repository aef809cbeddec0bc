using System.Net;

namespace Fleet.Stacks.Hosting;

/// <summary>
/// Who may read operations, stack state and metrics: clients on loopback or a private network. Those answers carry node
/// ids, pulumi command lines and the tail of pulumi's errors; the webhook, which must be reachable by its senders, is
/// authenticated by its signature instead.
/// </summary>
public static class PrivateReaders
{
    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"),
    ];

    public static bool IsAllowed(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return Private.Any(n => n.Contains(address));
    }

    /// <summary>Refuses the request with 403 unless <see cref="IsAllowed"/>; returns true when it refused.</summary>
    public static async Task<bool> RefuseAsync(HttpContext context)
    {
        if (IsAllowed(context.Connection.RemoteIpAddress)) return false;
        await StacksEndpoints.ErrorAsync(context, 403, "private_only", "operations, stack state and metrics are served to loopback and private networks only");
        return true;
    }
}
