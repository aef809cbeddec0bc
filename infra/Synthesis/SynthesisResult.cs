using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Synthesis;

/// <summary>The outcome of the pipeline: a program only when nothing blocked it, and every diagnostic found.</summary>
public sealed record SynthesisResult(FleetConfig? Config, PulumiProgram? Program, IReadOnlyList<Diagnostic> Diagnostics, int ExitCode);
