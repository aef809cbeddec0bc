using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Synthesis;

/// <summary>
/// Accumulates the resources of one program in declaration order. Every resource gets its package's pinned
/// <c>version</c>; logical names must be unique (a clash is a programmer error).
/// </summary>
public sealed class ProgramBuilder
{
    private readonly List<PulumiResource> _resources = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<ConfigDeclaration> _config = [];
    private readonly List<KeyValuePair<string, PValue>> _outputs = [];
    private readonly List<KeyValuePair<string, PValue>> _variables = [];

    public IReadOnlyList<PulumiResource> Resources => _resources;

    /// <summary>Declares a resource. <paramref name="options"/> are merged before the pinned <c>version</c>.</summary>
    public PulumiResource Add(string name, string type, PMap properties, PulumiResource? provider = null, PMap? options = null, bool defaultProvider = false)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"duplicate resource name '{name}'");
        var opts = new PMapBuilder();
        if (provider is not null) opts.Add("provider", provider.Self);
        foreach (var (k, v) in options?.Entries ?? []) opts.Add(k, v);
        var resource = new PulumiResource(name, type, properties, opts.Build(), defaultProvider);
        resource = resource with { Options = new PMap([.. resource.Options.Entries, new("version", Px.Lit(ProviderVersions.Of(resource.Package)))]) };
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Declares a program variable (evaluated once by the engine) and returns its <c>${name}</c>.</summary>
    public PString Variable(string name, PValue value)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"duplicate name '{name}'");
        _variables.Add(new(name, value));
        return Px.Ref(name);
    }

    /// <summary>Declares secret program config, referenced as <c>${key}</c>.</summary>
    public void SecretConfig(string key, string type) => _config.Add(new ConfigDeclaration(key, type, Secret: true));

    /// <summary>Exports a stack output.</summary>
    public void Output(string name, PValue value) => _outputs.Add(new(name, value));

    public PulumiProgram Build(string name, string description) => new(name, description, _config.ToArray(), _resources.ToArray(), _outputs.ToArray(), _variables.ToArray());

    /// <summary><c>fn::invoke</c> with the function's package version pinned.</summary>
    public static PMap Invoke(string function, PMap arguments, string returnProperty) =>
        Px.Invoke(function, arguments, returnProperty, new PMapBuilder { { "version", ProviderVersions.Of(function[..function.IndexOf(':')]) } }.Build());

    /// <summary>A list of references to resources (for <c>dependsOn</c>).</summary>
    public static PList Refs(params PulumiResource[] resources) => new(resources.Select(r => (PValue)r.Self).ToArray());
}
