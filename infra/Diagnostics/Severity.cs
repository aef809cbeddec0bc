namespace Fleet.Infra.Diagnostics;

/// <summary>How much a finding matters: an error stops synthesis, a warning is shown on stderr.</summary>
public enum Severity
{
    Warning,
    Error,
}
