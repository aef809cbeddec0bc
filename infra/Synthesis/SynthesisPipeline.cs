using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;
using Fleet.Policy;
using Fleet.Policy.Model;

namespace Fleet.Infra.Synthesis;

/// <summary>
/// Config → validated model → program → read-only policy checks, in that order. A config error or a mandatory policy
/// violation withholds the program: nothing half-valid reaches the engine. Shared by synth, plan, validate and policy.
/// </summary>
public static class SynthesisPipeline
{
    /// <summary>
    /// The stack output that carries warnings and advisory policy findings. pulumi-yaml shows the compiler's stderr only
    /// when it fails (docs/engine-semantics.md), so under <c>pulumi preview</c>/<c>up</c> this is where they are seen.
    /// </summary>
    public const string AdvisoriesOutput = "fleetAdvisories";

    public static SynthesisResult Run(StackConfig raw)
    {
        var (config, diagnostics) = FleetConfigReader.Read(raw);
        if (config is null) return new SynthesisResult(null, null, diagnostics, [], SynthesisOutcome.InvalidConfig);
        var program = FleetSynthesizer.Synthesize(config);
        var violations = PolicyPack.Run(PolicyInput.From(program, config));
        if (violations.Any(v => v.Level == EnforcementLevel.Mandatory))
            return new SynthesisResult(config, null, diagnostics, violations, SynthesisOutcome.PolicyViolation, program);
        program = WithAdvisories(program, diagnostics, violations);
        return new SynthesisResult(config, program, diagnostics, violations, SynthesisOutcome.Ok, program);
    }

    private static PulumiProgram WithAdvisories(PulumiProgram program, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<PolicyViolation> violations)
    {
        var lines = diagnostics.Where(d => d.Severity == Severity.Warning).Select(d => $"{d.Code} {d.Path}: {d.Message}")
            .Concat(violations.Select(v => $"{v.RuleId} {v.Resource}: {v.Message}"))
            .ToArray();
        if (lines.Length == 0) return program;
        return program with { Outputs = [.. program.Outputs, new(AdvisoriesOutput, Px.Strings(lines))] };
    }
}
