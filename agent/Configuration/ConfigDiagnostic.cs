namespace Fleet.Agent.Configuration;

/// <summary>One configuration problem: the variable, the value seen, what is wrong and how to fix it.</summary>
public sealed record ConfigDiagnostic(string Key, string? Value, string Problem, string Fix)
{
    public override string ToString() =>
        $"{Key}={(Value is null ? "(unset)" : $"'{Value}'")}: {Problem}. Fix: {Fix}";
}
