using System.Text.Json.Nodes;
using Fleet.Policy.Model;

namespace Fleet.Policy.Topology;

/// <summary>A server, whatever its cloud: tags or labels resolved to literal names where the program allows.</summary>
public sealed record ServerView(PolicyResource Resource, IReadOnlyList<string> Tags, string? Size, string? Region, bool OnPrivateNetwork, bool HasSshKeys, JsonNode? UserData)
{
    /// <summary>The manager carries a tag (DigitalOcean) or label value (Hetzner) ending in <c>-manager</c>, or is named <c>manager</c>.</summary>
    public bool IsManager => Resource.Name == "manager" || Tags.Any(t => t.EndsWith("-manager", StringComparison.Ordinal) || t.EndsWith("=manager", StringComparison.Ordinal));
}
