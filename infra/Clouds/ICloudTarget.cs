using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Clouds;

/// <summary>What a cloud contributes to the program. Its provider type tokens live only in its own folder.</summary>
public interface ICloudTarget
{
    /// <summary>The private network.</summary>
    void AddNetwork(ProgramBuilder program);

    /// <summary>Registers the stack-generated SSH public key with the cloud.</summary>
    void AddSshKey(ProgramBuilder program, PString publicKeyOpenssh);

    /// <summary>The manager's stable public address, allocated before the manager server exists.</summary>
    PulumiResource AddManagerAddress(ProgramBuilder program);

    /// <summary><c>${…}</c> of the manager's stable public address.</summary>
    PString ManagerPublicAddress { get; }

    /// <summary>The manager server; returns the resources that must exist before it is reachable over SSH.</summary>
    (PulumiResource Server, IReadOnlyList<PulumiResource> ReachableAfter) AddManager(ProgramBuilder program, PValue userData);

    /// <summary><c>${…}</c> of a server's private address.</summary>
    PString PrivateAddress(PulumiResource server);

    /// <summary>One worker server for a node id of a pool.</summary>
    PulumiResource AddWorker(ProgramBuilder program, PoolConfig pool, string nodeId, PValue userData);

    /// <summary>The <c>api.&lt;domain&gt;</c> A record to the manager's stable address, in an existing zone.</summary>
    void AddApiRecord(ProgramBuilder program, string domain);

    /// <summary>Firewalls implementing the plan; returns them (SSH from Pulumi waits for them).</summary>
    IReadOnlyList<PulumiResource> AddFirewalls(ProgramBuilder program, FirewallPlan plan);
}
