namespace Fleet.Gateway.Registry;

/// <summary>The model a node serves: <c>model{id, sha256, loaded}</c>.</summary>
public sealed record HeartbeatModel(string Id, string? Sha256, bool Loaded);
