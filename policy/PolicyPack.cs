using Fleet.Policy.Model;
using Fleet.Policy.Rules;
using Fleet.Policy.Topology;

namespace Fleet.Policy;

/// <summary>Fleet's policy pack: every rule, run read-only over a program; all violations are collected.</summary>
public static class PolicyPack
{
    public static readonly IReadOnlyList<PolicyRule> Rules =
    [
        new FirewallCoverageRule(), new AdminPortExposureRule(), new WorldOpenPortsRule(), new BootstrapEgressRule(),
        new PrivateNetworkRule(), new SshOnlyRule(), new UserDataSecretsRule(), new PinnedImagesRule(),
        new AllowedPlacementRule(), new GpuWhereAvailableRule(), new FleetSizeRule(), new TlsWithDomainRule(), new PlainHttpAdvisoryRule(),
    ];

    /// <summary>Runs every rule. With advisory enforcement (<see cref="PolicyContext.Mandatory"/> false) every finding is advisory.</summary>
    public static IReadOnlyList<PolicyViolation> Run(PolicyProgram program, IEnumerable<PolicyRule>? rules = null)
    {
        var found = new List<PolicyViolation>();
        var topology = new FleetTopology(program);
        foreach (var rule in rules ?? Rules)
        {
            var level = program.Context.Mandatory ? rule.DefaultLevel : EnforcementLevel.Advisory;
            var report = new PolicyReport(rule.Id, rule.Name, level, found);
            switch (rule)
            {
                case ResourceRule r:
                    foreach (var resource in program.Resources) r.Check(resource, program.Context, report);
                    break;
                case StackRule s:
                    s.Check(program, topology, report);
                    break;
            }
        }
        return found;
    }
}
