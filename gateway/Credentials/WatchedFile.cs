namespace Fleet.Gateway.Credentials;

/// <summary>
/// A file re-read on every poll and reported only when its bytes changed. Comparing bytes rather than mtimes
/// survives Kubernetes/Swarm secret mounts, which swap symlinks and may keep timestamps.
/// </summary>
public sealed class WatchedFile(string path)
{
    private byte[]? _last;

    /// <summary>The watched path.</summary>
    public string Path { get; } = path;

    /// <summary>Reads the file; true with its content when it differs from the last accepted content.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public bool TryReadChanged(out byte[] content)
    {
        content = File.ReadAllBytes(Path);
        return _last is null || !content.AsSpan().SequenceEqual(_last);
    }

    /// <summary>Marks <paramref name="content"/> as accepted so identical re-reads are not reported.</summary>
    public void Accept(byte[] content) => _last = content;
}
