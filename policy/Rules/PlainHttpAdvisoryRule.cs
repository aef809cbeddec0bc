using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP013 (advisory): without a domain the API is plain HTTP — fine for a dev stack, worth knowing everywhere.</summary>
public sealed class PlainHttpAdvisoryRule : StackRule
{
    public override string Id => "FP013";
    public override string Name => "plain-http-without-domain";
    public override string Description => "Advisory: without fleet:domain the API and its bearer keys travel over plain HTTP.";

    public override EnforcementLevel DefaultLevel => EnforcementLevel.Advisory;

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        if (program.Context.Domain is null)
            report.Violation("stack", "no fleet:domain: clients send API keys over plain HTTP", "pulumi config set fleet:domain <your domain>; pulumi config set fleet:acmeEmail <email>");
    }
}
