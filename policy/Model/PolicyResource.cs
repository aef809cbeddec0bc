using System.Text.Json.Nodes;

namespace Fleet.Policy.Model;

/// <summary>
/// What a rule sees of one resource — what CrossGuard's <c>validateResource</c> would: the type token and the inputs,
/// with references left symbolic (<c>${manager.id}</c>) and functions as <c>{"fn::…": …}</c> objects.
/// </summary>
public sealed record PolicyResource(string Name, string Type, JsonObject Inputs, JsonObject? Options = null)
{
    /// <summary>The last segment of the type token: <c>Droplet</c> for <c>digitalocean:index/droplet:Droplet</c>.</summary>
    public string Kind => Type[(Type.LastIndexOf(':') + 1)..];

    public string Package => Type[..Type.IndexOf(':')];
}
