namespace Fleet.Agent.Models;

/// <summary>A GGUF on local disk, ready to load.</summary>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="Id">The model id served in /v1/models and heartbeats.</param>
/// <param name="Sha256">Lower-case hex hash when known (always for downloads), else null.</param>
public sealed record ModelFile(string Path, string Id, string? Sha256);
