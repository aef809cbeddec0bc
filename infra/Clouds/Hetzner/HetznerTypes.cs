namespace Fleet.Infra.Clouds.Hetzner;

/// <summary>The hcloud provider's type tokens: the only place they are spelled.</summary>
public static class HetznerTypes
{
    public const string Network = "hcloud:index/network:Network";
    public const string NetworkSubnet = "hcloud:index/networkSubnet:NetworkSubnet";
    public const string SshKey = "hcloud:index/sshKey:SshKey";
    public const string Server = "hcloud:index/server:Server";
    public const string PrimaryIp = "hcloud:index/primaryIp:PrimaryIp";
    public const string PlacementGroup = "hcloud:index/placementGroup:PlacementGroup";
    public const string Firewall = "hcloud:index/firewall:Firewall";
    public const string ZoneRrset = "hcloud:index/zoneRrset:ZoneRrset";
}
