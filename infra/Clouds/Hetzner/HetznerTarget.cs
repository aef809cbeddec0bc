using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Clouds.Hetzner;

/// <summary>
/// Hetzner Cloud: a network and subnet, servers labelled by role and pool, a primary IP for the manager, a spread
/// placement group per pool, firewalls bound by label selector. Integer id inputs (networkId, placementGroupId,
/// publicNets.ipv4) are converted from string ids with <c>std:index:parseint</c> (pulumi-yaml#1073).
/// </summary>
public sealed class HetznerTarget(FleetConfig config, FleetNames names) : ICloudTarget
{
    private readonly HetznerLabels _labels = new(FleetNames.Sanitize(config.Project), names.Stack);
    private readonly Dictionary<string, PulumiResource> _placement = new(StringComparer.Ordinal);
    private PulumiResource? _network;
    private PulumiResource? _subnet;
    private PulumiResource? _sshKey;
    private PulumiResource? _address;

    public PString ManagerPublicAddress => Px.Ref("manager-ip.ipAddress");

    /// <summary>The manager's fixed private address: the second host of the network (the first is Hetzner's gateway).</summary>
    public string ManagerPrivateIp => NetworkAddresses.Host(config.NetworkCidr, 2);

    public void AddNetwork(ProgramBuilder program)
    {
        _network = program.Add("network", HetznerTypes.Network, new PMapBuilder
        {
            { "name", $"{names.Prefix}-network" },
            { "ipRange", config.NetworkCidr },
            { "labels", new PMapBuilder { { HetznerLabels.StackKey, names.Stack } }.Build() },
        });
        _subnet = program.Add("subnet", HetznerTypes.NetworkSubnet, new PMapBuilder
        {
            { "networkId", ParseInt(_network.Out("id")) },
            { "type", "cloud" },
            { "networkZone", HetznerNetworkZones.Of(config.Region) },
            { "ipRange", config.NetworkCidr },
        });
        foreach (var pool in config.Pools)
            _placement[pool.Name] = program.Add($"placement-{pool.Name}", HetznerTypes.PlacementGroup, new PMapBuilder
            {
                { "name", $"{names.Prefix}-{pool.Name}" },
                { "type", "spread" },
                { "labels", new PMapBuilder { { HetznerLabels.StackKey, names.Stack }, { HetznerLabels.PoolKey, pool.Name } }.Build() },
            });
    }

    public void AddSshKey(ProgramBuilder program, PString publicKeyOpenssh) =>
        _sshKey = program.Add("ssh-key", HetznerTypes.SshKey, new PMapBuilder { { "name", $"{names.Prefix}-admin" }, { "publicKey", publicKeyOpenssh } });

    public PulumiResource AddManagerAddress(ProgramBuilder program) =>
        _address = program.Add("manager-ip", HetznerTypes.PrimaryIp, new PMapBuilder
        {
            { "name", $"{names.Prefix}-manager" },
            { "type", "ipv4" },
            { "assigneeType", "server" },
            { "location", config.Region },
            // Kept when the manager is replaced, so DNS keeps pointing at the API.
            { "autoDelete", false },
        }, options: new PMapBuilder { { "protect", config.Domain is not null } });

    public (PulumiResource Server, IReadOnlyList<PulumiResource> ReachableAfter) AddManager(ProgramBuilder program, PValue userData)
    {
        var manager = program.Add(FleetNames.ManagerResource, HetznerTypes.Server, Server(names.ManagerHost, config.Manager.Size, userData, _labels.Manager(), ManagerPrivateIp, null,
                new PMapBuilder { { "ipv4Enabled", true }, { "ipv4", ParseInt(_address!.Out("id")) }, { "ipv6Enabled", false } }.Build()),
            options: new PMapBuilder { { "ignoreChanges", Px.Strings(["userData"]) }, { "deleteBeforeReplace", true }, { "dependsOn", ProgramBuilder.Refs(_subnet!) }, { "aliases", Px.Strings([names.LegacyManagerUrn(HetznerTypes.Server)]) } });
        return (manager, [manager]);
    }

    public PString PrivateAddress(PulumiResource server) =>
        server.Name == FleetNames.ManagerResource ? Px.Lit(ManagerPrivateIp) : Px.Ref($"{server.Name}.networks[0].ip");

    public PulumiResource AddWorker(ProgramBuilder program, PoolConfig pool, string nodeId, PValue userData) =>
        program.Add(FleetNames.WorkerResource(pool, nodeId), HetznerTypes.Server,
            Server(names.WorkerHost(pool, nodeId), pool.Size, userData, _labels.Worker(pool), null, _placement[pool.Name],
                // Workers keep a public IPv4 for egress (Hetzner networks have no NAT); the firewall closes it inbound.
                new PMapBuilder { { "ipv4Enabled", true }, { "ipv6Enabled", false } }.Build()),
            // Hetzner server names are unique per project: a replacement must delete the old server first.
            options: new PMapBuilder { { "ignoreChanges", Px.Strings(["userData"]) }, { "deleteBeforeReplace", true }, { "dependsOn", ProgramBuilder.Refs(_subnet!) } });

    public void AddApiRecord(ProgramBuilder program, string domain) =>
        program.Add("dns-api", HetznerTypes.ZoneRrset, new PMapBuilder
        {
            { "zone", domain },
            { "name", "api" },
            { "type", "A" },
            { "ttl", 300 },
            { "records", new PList(new PMapBuilder { { "value", ManagerPublicAddress } }.Build()) },
        });

    public IReadOnlyList<PulumiResource> AddFirewalls(ProgramBuilder program, FirewallPlan plan) =>
        HetznerFirewalls.Add(program, plan, names, _labels);

    private PMap Server(string host, string size, PValue userData, PMap labels, string? privateIp, PulumiResource? placement, PMap publicNet) => new PMapBuilder
    {
        { "name", host },
        { "serverType", size },
        { "image", config.OsImage },
        { "location", config.Region },
        { "sshKeys", new PList(_sshKey!.Out("id")) },
        { "labels", labels },
        // aliasIps: [] as the provider reads it back: without it the set element differs at every up and the server is
        // detached from and re-attached to its network (terraform-provider-hcloud docs/resources/server.md, issue #650).
        { "networks", new PList(new PMapBuilder { { "networkId", ParseInt(_network!.Out("id")) }, { "ip", privateIp }, { "aliasIps", new PList() } }.Build()) },
        { "publicNets", new PList(publicNet) },
        { "placementGroupId", placement is null ? null : ParseInt(placement.Out("id")) },
        { "userData", userData },
    }.Build();

    private static PMap ParseInt(PString id) => ProgramBuilder.Invoke("std:index:parseint", new PMapBuilder { { "input", id } }, "result");
}
