namespace Fleet.Infra.Clouds.DigitalOcean;

/// <summary>The DigitalOcean provider's type tokens: the only place they are spelled.</summary>
public static class DigitalOceanTypes
{
    public const string Vpc = "digitalocean:index/vpc:Vpc";
    public const string SshKey = "digitalocean:index/sshKey:SshKey";
    public const string Tag = "digitalocean:index/tag:Tag";
    public const string Droplet = "digitalocean:index/droplet:Droplet";
    public const string ReservedIp = "digitalocean:index/reservedIp:ReservedIp";
    public const string ReservedIpAssignment = "digitalocean:index/reservedIpAssignment:ReservedIpAssignment";
    public const string Firewall = "digitalocean:index/firewall:Firewall";
    public const string DnsRecord = "digitalocean:index/dnsRecord:DnsRecord";
}
