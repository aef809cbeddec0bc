using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;
using Fleet.Policy.Model;

namespace Fleet.Infra.Synthesis;

/// <summary>The outcome of the pipeline: a program only when nothing blocked it, and every diagnostic found.</summary>
/// <param name="Program">Null when config errors or mandatory policy violations stopped synthesis.</param>
/// <param name="Checked">The program the policy pack checked, even when a violation withheld it (for <c>fleet policy</c>).</param>
public sealed record SynthesisResult(FleetConfig? Config, PulumiProgram? Program, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<PolicyViolation> Violations, SynthesisOutcome Outcome, PulumiProgram? Checked = null);
