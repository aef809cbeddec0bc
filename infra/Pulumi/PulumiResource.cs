namespace Fleet.Infra.Pulumi;

/// <summary>One entry under <c>resources:</c>.</summary>
/// <param name="Name">The logical name (the key); unique in the program and stable across runs.</param>
/// <param name="Type">The provider type token, e.g. <c>digitalocean:index/droplet:Droplet</c>.</param>
/// <param name="Properties">Resource inputs.</param>
/// <param name="Options">Resource options (<c>dependsOn</c>, <c>provider</c>, <c>version</c>, ...).</param>
/// <param name="DefaultProvider">For <c>pulumi:providers:*</c> resources: route every resource of the package here.</param>
public sealed record PulumiResource(string Name, string Type, PMap Properties, PMap Options, bool DefaultProvider = false)
{
    /// <summary>The package a type token belongs to (<c>digitalocean</c> for <c>digitalocean:index/droplet:Droplet</c>).</summary>
    public string Package => Type.StartsWith("pulumi:providers:", StringComparison.Ordinal)
        ? Type["pulumi:providers:".Length..]
        : Type[..Type.IndexOf(':')];

    /// <summary><c>${name}</c>.</summary>
    public PString Self => Px.Ref(Name);

    /// <summary><c>${name.output}</c>.</summary>
    public PString Out(string output) => Px.Ref($"{Name}.{output}");
}
