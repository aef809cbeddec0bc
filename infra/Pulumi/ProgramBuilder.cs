
namespace Fleet.Infra.Pulumi;

/// <summary>
/// Accumulates the resources of one program in declaration order. Every resource gets its package's pinned
/// <c>version</c>; logical names must be unique and must not equal a config key of the project's namespace (a clash
/// is a programmer error: pulumi-yaml would silently skip the resource, docs/engine-semantics.md "Name resolution").
/// </summary>
public sealed class ProgramBuilder(IReadOnlyCollection<string>? reservedNames = null)
{
    private readonly HashSet<string> _reserved = new(reservedNames ?? [], StringComparer.Ordinal);
    private readonly List<PulumiResource> _resources = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<ConfigDeclaration> _config = [];
    private readonly List<KeyValuePair<string, PValue>> _outputs = [];
    private readonly List<KeyValuePair<string, PValue>> _variables = [];

    private PulumiResource? _replacedWith;

    public IReadOnlyList<PulumiResource> Resources => _resources;

    /// <summary>
    /// While the returned scope is open, every docker and kubernetes resource declared is replaced whenever
    /// <paramref name="server"/> is (<c>replaceWith</c>, Pulumi ≥ 3.211): their provider's inputs do not change when the
    /// manager is replaced, so without it they would stay in state but not exist on the new cluster.
    /// </summary>
    public IDisposable ReplacedWith(PulumiResource server)
    {
        _replacedWith = server;
        return new Scope(() => _replacedWith = null);
    }

    private sealed class Scope(Action close) : IDisposable
    {
        public void Dispose() => close();
    }

    /// <summary>Declares a resource. <paramref name="options"/> are merged before the pinned <c>version</c>.</summary>
    public PulumiResource Add(string name, string type, PMap properties, PulumiResource? provider = null, PMap? options = null, bool defaultProvider = false)
    {
        Reserve(name);
        var opts = new PMapBuilder();
        if (provider is not null) opts.Add("provider", provider.Self);
        foreach (var (k, v) in options?.Entries ?? []) opts.Add(k, v);
        if (_replacedWith is not null && AppLayerPackages.Contains(type.Split(':')[type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? 2 : 0]))
            opts.Add("replaceWith", Refs(_replacedWith));
        var resource = new PulumiResource(name, type, properties, opts.Build(), defaultProvider);
        resource = resource with { Options = new PMap([.. resource.Options.Entries, new("version", Px.Lit(ProviderVersions.Of(resource.Package)))]) };
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Declares a program variable (evaluated once by the engine) and returns its <c>${name}</c>.</summary>
    public PString Variable(string name, PValue value)
    {
        Reserve(name);
        _variables.Add(new(name, value));
        return Px.Ref(name);
    }

    /// <summary>Declares secret program config, referenced as <c>${key}</c>.</summary>
    public void SecretConfig(string key, string type) => _config.Add(new ConfigDeclaration(key, type, Secret: true));

    /// <summary>Exports a stack output.</summary>
    public void Output(string name, PValue value) => _outputs.Add(new(name, value));

    public PulumiProgram Build(string name, string description) =>
        new(name, description, _config.ToArray(), _resources.ToArray(), _outputs.ToArray(), _variables.ToArray()) { ConfigNodeNames = [.. _reserved.Order(StringComparer.Ordinal)] };

    private static readonly string[] AppLayerPackages = ["docker", "kubernetes"];

    private void Reserve(string name)
    {
        if (_reserved.Contains(name)) throw new InvalidOperationException($"'{name}' is also a config key of the project's namespace: pulumi-yaml would never register it");
        if (!_names.Add(name)) throw new InvalidOperationException($"duplicate name '{name}'");
    }

    /// <summary><c>fn::invoke</c> with the function's package version pinned.</summary>
    public static PMap Invoke(string function, PMap arguments, string returnProperty) =>
        Px.Invoke(function, arguments, returnProperty, new PMapBuilder { { "version", ProviderVersions.Of(function[..function.IndexOf(':')]) } }.Build());

    /// <summary>A list of references to resources (for <c>dependsOn</c>).</summary>
    public static PList Refs(params PulumiResource[] resources) => new(resources.Select(r => (PValue)r.Self).ToArray());
}
