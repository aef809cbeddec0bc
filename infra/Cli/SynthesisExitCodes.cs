using Fleet.Infra.Synthesis;

namespace Fleet.Infra.Cli;

/// <summary>The exit code of a synthesis outcome: the pipeline knows nothing of the CLI, the CLI maps.</summary>
public static class SynthesisExitCodes
{
    extension(SynthesisResult result)
    {
        /// <summary><see cref="ExitCodes.Ok"/>, <see cref="ExitCodes.InvalidConfig"/> or <see cref="ExitCodes.PolicyViolation"/>.</summary>
        public int ExitCode => result.Outcome switch
        {
            SynthesisOutcome.Ok => ExitCodes.Ok,
            SynthesisOutcome.InvalidConfig => ExitCodes.InvalidConfig,
            SynthesisOutcome.PolicyViolation => ExitCodes.PolicyViolation,
            _ => throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "unknown synthesis outcome"),
        };
    }
}
