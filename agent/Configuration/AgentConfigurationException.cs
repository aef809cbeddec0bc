namespace Fleet.Agent.Configuration;

/// <summary>Thrown at start when the <c>FLEET_*</c> settings are invalid; lists every problem at once.</summary>
public sealed class AgentConfigurationException(IReadOnlyList<ConfigDiagnostic> diagnostics)
    : Exception("invalid agent configuration:" + Environment.NewLine +
                string.Join(Environment.NewLine, diagnostics.Select(d => "  " + d)))
{
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; } = diagnostics;
}
