namespace Fleet.Infra.Tests.Evaluation;

/// <summary>A resource after evaluation: its final inputs (what the provider would receive) and its mocked outputs.</summary>
public sealed record EvaluatedResource(string Name, string Type, IReadOnlyDictionary<string, object?> Inputs, IReadOnlyDictionary<string, object?> Outputs, IReadOnlyList<string> DependsOn)
{
    /// <summary>An input with secrets unwrapped (use <see cref="IsSecret"/> to check the wrapper).</summary>
    public object? Input(string name) => Inputs.TryGetValue(name, out var v) ? Unwrap(v) : null;

    public string InputString(string name) => (string)Input(name)!;

    public bool IsSecret(string name) => Inputs.TryGetValue(name, out var v) && v is Secret;

    public static object? Unwrap(object? value) => value is Secret s ? Unwrap(s.Value) : value;
}
