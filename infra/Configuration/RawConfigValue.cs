using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary>One stack config value before typing: structured JSON, and whether it is (or must stay) secret.</summary>
/// <param name="Value">The value; null when it is an encrypted secret the reader cannot see.</param>
/// <param name="IsSecret">True when the stack file marks it <c>secure:</c>.</param>
public sealed record RawConfigValue(JsonNode? Value, bool IsSecret)
{
    /// <summary>An encrypted secret from a stack file: present, but unreadable without the Pulumi CLI.</summary>
    public bool IsEncrypted => IsSecret && Value is null;

    /// <summary>
    /// Parts of the value encrypted on their own (<c>pulumi config set --secret --path 'fleet:apiKeys[0].key'</c>), as
    /// paths below the key (<c>[0].key</c>); <see cref="Value"/> holds null there.
    /// </summary>
    public IReadOnlyList<string> SecretPaths { get; init; } = [];
}
