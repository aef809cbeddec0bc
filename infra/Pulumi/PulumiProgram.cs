namespace Fleet.Infra.Pulumi;

/// <summary>A whole Pulumi YAML program. Knows nothing of fleets; <see cref="PulumiYamlWriter"/> prints it.</summary>
public sealed record PulumiProgram(
    string Name,
    string Description,
    IReadOnlyList<ConfigDeclaration> Config,
    IReadOnlyList<PulumiResource> Resources,
    IReadOnlyList<KeyValuePair<string, PValue>> Outputs,
    IReadOnlyList<KeyValuePair<string, PValue>>? Variables = null)
{
    /// <summary>Named expressions under <c>variables:</c>, each evaluated once and referenced as <c>${name}</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, PValue>> VariableList => Variables ?? [];

    /// <summary>
    /// Names the engine adds to the program's name space from stack config (each key of the project's namespace, without
    /// the namespace). No resource or variable may use one; <c>ReferenceValidator</c> checks it.
    /// </summary>
    public IReadOnlyList<string> ConfigNodeNames { get; init; } = [];

    /// <summary>The resource with this logical name, or null.</summary>
    public PulumiResource? Find(string name) => Resources.FirstOrDefault(r => r.Name == name);
}
