using System.Text.Json;

namespace Fleet.Gateway.Credentials;

/// <summary>The nodes allowed to heartbeat; replaced whole when the nodes file changes.</summary>
public sealed class NodeCredentialStore
{
    private volatile IReadOnlyList<NodeCredential> _nodes = [];

    /// <summary>Whether a nodes file has been loaded successfully.</summary>
    public bool Loaded { get; private set; }

    /// <summary>The nodes in force.</summary>
    public IReadOnlyList<NodeCredential> Nodes => _nodes;

    /// <summary>The node whose credential hash matches the presented bearer token, or null.</summary>
    public NodeCredential? Find(string? token)
    {
        if (token is null) return null;
        var nodes = _nodes;
        var i = SecretHash.IndexOf(nodes, n => n.Hash, SecretHash.Of(token));
        return i < 0 ? null : nodes[i];
    }

    /// <summary>Puts <paramref name="nodes"/> in force.</summary>
    public void Replace(IReadOnlyList<NodeCredential> nodes)
    {
        _nodes = nodes;
        Loaded = true;
    }

    /// <summary>Parses the nodes file; malformed entries are skipped and described in <paramref name="errors"/>.</summary>
    public static IReadOnlyList<NodeCredential>? Parse(byte[] json, List<string> errors)
    {
        NodesFile? file;
        try { file = JsonSerializer.Deserialize(json, GatewayJsonContext.Default.NodesFile); }
        catch (JsonException e) { errors.Add($"nodes file is not valid JSON ({e.Message}); expected {{\"nodes\":[{{\"node\",\"pool\",\"sha256\"}}]}}"); return null; }
        if (file?.Nodes is null) { errors.Add("nodes file has no \"nodes\" array"); return null; }

        var nodes = new List<NodeCredential>();
        for (var i = 0; i < file.Nodes.Count; i++)
        {
            var e = file.Nodes[i];
            var where = $"nodes[{i}] ({e.Node ?? "no name"})";
            var hash = SecretHash.ParseHex(e.Sha256);
            if (string.IsNullOrWhiteSpace(e.Node) || string.IsNullOrWhiteSpace(e.Pool)) errors.Add($"{where}: \"node\" and \"pool\" must be set");
            else if (hash is null) errors.Add($"{where}: \"sha256\" must be 64 hex digits, the SHA-256 of the node credential");
            else if (nodes.Any(n => n.Node == e.Node)) errors.Add($"{where}: node listed twice; keep one entry per node");
            else nodes.Add(new NodeCredential(e.Node, e.Pool, hash));
        }
        return nodes;
    }
}
