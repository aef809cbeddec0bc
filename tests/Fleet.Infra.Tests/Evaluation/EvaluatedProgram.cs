namespace Fleet.Infra.Tests.Evaluation;

/// <summary>Every resource of an evaluated program, in declaration order, and its stack outputs.</summary>
public sealed record EvaluatedProgram(IReadOnlyList<EvaluatedResource> Resources, IReadOnlyDictionary<string, object?> Outputs)
{
    /// <summary>Resources and variables the engine would never register: their names are stack config nodes.</summary>
    public IReadOnlyList<string> Unregistered { get; init; } = [];

    public EvaluatedResource this[string name] => Resources.Single(r => r.Name == name);

    public IEnumerable<EvaluatedResource> OfType(string typeSuffix) => Resources.Where(r => r.Type.EndsWith(typeSuffix, StringComparison.Ordinal));
}
