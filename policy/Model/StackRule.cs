using Fleet.Policy.Topology;

namespace Fleet.Policy.Model;

/// <summary>Sees the whole program (CrossGuard's <c>validateStack</c>), with servers and firewall rules resolved.</summary>
public abstract class StackRule : PolicyRule
{
    public abstract void Check(PolicyProgram program, FleetTopology topology, PolicyReport report);
}
