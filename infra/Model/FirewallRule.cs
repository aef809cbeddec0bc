namespace Fleet.Infra.Model;

/// <summary>The three network planes (docs/architecture.md, "What the program declares").</summary>
public enum Plane
{
    /// <summary>80/443 on the manager, from anywhere.</summary>
    Public,

    /// <summary>SSH and the orchestrator API, from <c>fleet:adminCidrs</c> only.</summary>
    Admin,

    /// <summary>Cluster and agent traffic, from the private network only.</summary>
    Private,

    /// <summary>
    /// The admin ports from the manager's own public address: the control service's program runs (on the manager) reach
    /// the orchestrator API and SSH at the same endpoint as everyone else, so the providers' inputs never differ by who
    /// runs <c>pulumi up</c>. A cloud where the address is on the server's own interface needs no rule (the traffic
    /// never leaves the host). Sources are left empty: the cloud target fills in the manager's address.
    /// </summary>
    Self,
}

/// <summary>Which servers a rule protects.</summary>
public enum RuleTarget
{
    Manager,
    AllNodes,
}

/// <summary>An inbound allow rule, cloud-agnostic: protocol, port or range, sources.</summary>
public sealed record FirewallRule(Plane Plane, RuleTarget Target, string Protocol, string Ports, IReadOnlyList<string> Sources, string Purpose);

/// <summary>An outbound allow rule (DigitalOcean firewalls deny what is not allowed).</summary>
public sealed record EgressRule(string Protocol, string? Ports, IReadOnlyList<string> Destinations, string Purpose);
