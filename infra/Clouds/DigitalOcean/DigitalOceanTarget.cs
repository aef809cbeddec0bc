using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Clouds.DigitalOcean;

/// <summary>DigitalOcean: a VPC, droplets tagged by role and pool, a reserved IP, firewalls bound by tag.</summary>
public sealed class DigitalOceanTarget(FleetConfig config, FleetNames names) : ICloudTarget
{
    private PulumiResource? _vpc;
    private PulumiResource? _sshKey;
    private PulumiResource? _address;
    private readonly Dictionary<string, PulumiResource> _tags = new(StringComparer.Ordinal);

    public PString ManagerPublicAddress => Px.Ref("manager-ip.ipAddress");

    public void AddNetwork(ProgramBuilder program)
    {
        _vpc = program.Add("vpc", DigitalOceanTypes.Vpc, new PMapBuilder
        {
            { "name", $"{names.Prefix}-vpc" },
            { "region", config.Region },
            { "ipRange", config.NetworkCidr },
            { "description", $"Fleet {config.Stack}: private network" },
        });
        foreach (var tag in new[] { names.NodeTag, names.ManagerTag, names.WorkerTag }.Concat(config.Pools.Select(names.PoolTag)))
            _tags[tag] = program.Add("tag-" + tag[(names.Prefix.Length + 1)..], DigitalOceanTypes.Tag, new PMapBuilder { { "name", tag } });
    }

    public void AddSshKey(ProgramBuilder program, PString publicKeyOpenssh) =>
        _sshKey = program.Add("ssh-key", DigitalOceanTypes.SshKey, new PMapBuilder { { "name", $"{names.Prefix}-admin" }, { "publicKey", publicKeyOpenssh } });

    public PulumiResource AddManagerAddress(ProgramBuilder program) =>
        _address = program.Add("manager-ip", DigitalOceanTypes.ReservedIp, new PMapBuilder { { "region", config.Region } },
            options: new PMapBuilder { { "protect", config.Domain is not null } });

    public (PulumiResource Server, IReadOnlyList<PulumiResource> ReachableAfter) AddManager(ProgramBuilder program, PValue userData)
    {
        var manager = program.Add(FleetNames.ManagerResource, DigitalOceanTypes.Droplet, Droplet(names.ManagerHost, config.Manager.Size, userData, names.NodeTag, names.ManagerTag),
            // User data runs once, at first boot; a change (e.g. a renewed certificate) must not replace the
            // manager, which holds the Swarm's state.
            options: new PMapBuilder { { "ignoreChanges", Px.Strings(["userData"]) }, { "aliases", Px.Strings([names.LegacyManagerUrn(DigitalOceanTypes.Droplet)]) } });
        var assignment = program.Add("manager-ip-assignment", DigitalOceanTypes.ReservedIpAssignment, new PMapBuilder
        {
            { "ipAddress", Px.Ref($"{_address!.Name}.ipAddress") },
            // dropletId is an integer input and droplet ids are strings: convert (pulumi-yaml#1073).
            { "dropletId", ProgramBuilder.Invoke("std:index:parseint", new PMapBuilder { { "input", manager.Out("id") } }, "result") },
        });
        return (manager, [assignment]);
    }

    public PString PrivateAddress(PulumiResource server) => server.Out("ipv4AddressPrivate");

    public PulumiResource AddWorker(ProgramBuilder program, PoolConfig pool, string nodeId, PValue userData) =>
        program.Add(FleetNames.WorkerResource(pool, nodeId), DigitalOceanTypes.Droplet,
            Droplet(names.WorkerHost(pool, nodeId), pool.Size, userData, names.NodeTag, names.WorkerTag, names.PoolTag(pool)),
            options: WorkerOptions());

    /// <summary>
    /// User data runs only at first boot, and a change to it would replace every worker at once (capacity to zero).
    /// A changed bootstrap applies to nodes created afterwards; roll it out node by node (README, "Rolling out a bootstrap change").
    /// Delete before replace: the old node is drained and forgotten before its successor joins under the same host name,
    /// which k3s requires (one machine per node name) and which keeps the gateway's one-entry-per-name view true.
    /// </summary>
    private static PMap WorkerOptions() => new PMapBuilder { { "ignoreChanges", Px.Strings(["userData"]) }, { "deleteBeforeReplace", true } }.Build();

    public void AddApiRecord(ProgramBuilder program, string domain) =>
        program.Add("dns-api", DigitalOceanTypes.DnsRecord, new PMapBuilder
        {
            { "domain", domain },
            { "type", "A" },
            { "name", "api" },
            { "value", ManagerPublicAddress },
            { "ttl", 300 },
        });

    public IReadOnlyList<PulumiResource> AddFirewalls(ProgramBuilder program, FirewallPlan plan) =>
        DigitalOceanFirewalls.Add(program, plan, names, Tag(names.ManagerTag), Tag(names.NodeTag), Px.Ref($"{FleetNames.ManagerResource}.ipv4Address"));

    private PString Tag(string name) => _tags[name].Out("name");

    private PMap Droplet(string host, string size, PValue userData, params string[] tags) => new PMapBuilder
    {
        { "name", host },
        { "region", config.Region },
        { "size", size },
        { "image", config.OsImage },
        { "vpcUuid", _vpc!.Out("id") },
        { "sshKeys", new PList(_sshKey!.Out("fingerprint")) },
        { "tags", new PList(tags.Select(t => (PValue)Tag(t)).ToArray()) },
        { "monitoring", true },
        { "ipv6", false },
        { "userData", userData },
    }.Build();
}
