namespace Fleet.Infra.Synthesis;

/// <summary>Why the pipeline did or did not produce a program; the CLI maps it to an exit code.</summary>
public enum SynthesisOutcome
{
    Ok,
    InvalidConfig,
    PolicyViolation,
}
