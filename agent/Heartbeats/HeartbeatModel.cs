namespace Fleet.Agent.Heartbeats;

/// <summary><c>model{id, sha256, loaded}</c>; sha256 is null when the file was given by path without a hash.</summary>
public sealed record HeartbeatModel(string Id, string? Sha256, bool Loaded);
