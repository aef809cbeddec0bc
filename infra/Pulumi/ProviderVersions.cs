namespace Fleet.Infra.Pulumi;

/// <summary>
/// The provider packages the program uses, pinned. Every resource and invoke carries its package's version
/// (discovery takes the first one it meets: docs/engine-semantics.md, "The compiler: environment and stderr"), and discovery-mode output
/// references each of them at the same version. These match the schemas in <c>infra/Schemas/</c>.
/// </summary>
public static class ProviderVersions
{
    public static readonly IReadOnlyDictionary<string, string> All = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["command"] = "1.2.1",
        ["digitalocean"] = "4.76.0",
        ["docker"] = "5.1.0",
        ["hcloud"] = "1.39.1",
        // No schema file ships for kubernetes (too large): its objects are validated against the KubernetesClient models.
        ["kubernetes"] = "4.23.0",
        ["random"] = "4.21.1",
        ["std"] = "2.3.2",
        ["tls"] = "5.5.1",
    };

    public static string Of(string package) =>
        All.TryGetValue(package, out var v) ? v : throw new InvalidOperationException($"package '{package}' has no pinned version");
}
