namespace Fleet.Infra.Tests.Evaluation;

/// <summary>A resource after evaluation: its final inputs (what the provider would receive) and its mocked outputs.</summary>
public sealed record EvaluatedResource(string Name, string Type, IReadOnlyDictionary<string, object?> Inputs, IReadOnlyDictionary<string, object?> Outputs, IReadOnlyList<string> DependsOn)
{
    /// <summary>An input with secrets unwrapped (use <see cref="IsSecret"/> to check the wrapper).</summary>
    public object? Input(string name) => Inputs.TryGetValue(name, out var v) ? Unwrap(v) : null;

    public string InputString(string name) => (string)Input(name)!;

    public bool IsSecret(string name) => Inputs.TryGetValue(name, out var v) && v is Secret;

    /// <summary>The evaluated <c>options</c> (references as <see cref="ResourceRef"/>).</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = new Dictionary<string, object?>();

    /// <summary>Resources this one's properties refer to (the engine's property dependencies).</summary>
    public IReadOnlySet<string> PropertyDependencies { get; init; } = new HashSet<string>();

    /// <summary>Every resource this one depends on, as the engine orders deletes: dependsOn, provider, properties, deletedWith.</summary>
    public IEnumerable<string> AllDependencies =>
        DependsOn.Concat(PropertyDependencies).Concat(Options.TryGetValue("deletedWith", out var d) && d is ResourceRef r ? [r.Name] : []).Distinct(StringComparer.Ordinal);

    public static object? Unwrap(object? value) => value is Secret s ? Unwrap(s.Value) : value;
}
