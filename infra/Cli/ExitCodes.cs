namespace Fleet.Infra.Cli;

/// <summary>Exit codes of the <c>fleet</c> CLI: an API for scripts and for the Pulumi YAML host.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The stack configuration has errors; nothing was emitted.</summary>
    public const int InvalidConfig = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    /// <summary>A mandatory policy rule failed; nothing was emitted.</summary>
    public const int PolicyViolation = 3;

    /// <summary>The emitted program failed schema or reference validation (a Fleet bug).</summary>
    public const int InvalidProgram = 4;

    /// <summary>The Pulumi CLI failed (<c>fleet sync</c>).</summary>
    public const int PulumiFailed = 5;

    /// <summary>The configuration could not be read at all (missing stack file, broken YAML).</summary>
    public const int ConfigUnreadable = 6;
}
