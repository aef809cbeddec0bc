namespace Fleet.Gateway.Credentials;

/// <summary>A node allowed to heartbeat: its name, its pool and the hash of its credential.</summary>
public sealed record NodeCredential(string Node, string Pool, byte[] Hash);
