using Fleet.Infra.Cli;
using Fleet.Infra.Configuration;
using Fleet.Policy;
using Fleet.Policy.Model;

namespace Fleet.Infra.Synthesis;

/// <summary>
/// Config → validated model → program → read-only policy checks, in that order. A config error or a mandatory policy
/// violation withholds the program: nothing half-valid reaches the engine. Shared by synth, plan, validate and policy.
/// </summary>
public static class SynthesisPipeline
{
    public static SynthesisResult Run(StackConfig raw)
    {
        var (config, diagnostics) = FleetConfigReader.Read(raw);
        if (config is null) return new SynthesisResult(null, null, diagnostics, [], ExitCodes.InvalidConfig);
        var program = FleetSynthesizer.Synthesize(config);
        var violations = PolicyPack.Run(PolicyInput.From(program, config));
        return violations.Any(v => v.Level == EnforcementLevel.Mandatory)
            ? new SynthesisResult(config, null, diagnostics, violations, ExitCodes.PolicyViolation, program)
            : new SynthesisResult(config, program, diagnostics, violations, ExitCodes.Ok, program);
    }
}
