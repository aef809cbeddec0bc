namespace Fleet.Stacks.Git;

/// <summary>
/// Git mode (<c>FLEET_GIT_URL</c>): the service keeps <c>FLEET_PROJECT_DIR</c> as its own clone of the repository and
/// brings it to <c>origin/&lt;ref&gt;</c> before every run. Without these options the working copy is the operator's.
/// </summary>
/// <param name="Url">The repository: <c>ssh://…</c> or <c>git@host:path</c> (with a deploy key), <c>https://…</c> or <c>file://…</c>.</param>
/// <param name="Ref">The branch (or tag) the service follows (<c>FLEET_GIT_REF</c>, default <c>main</c>).</param>
/// <param name="SshKeyFile">The read-only deploy key (private key file); required for ssh URLs, refused for others.</param>
/// <param name="KnownHostsFile">Pinned host keys (<c>FLEET_GIT_KNOWN_HOSTS_FILE</c>): the server must be listed there.
/// Null: the first key seen is trusted and kept in <paramref name="StateDirectory"/>/known_hosts (accept-new).</param>
/// <param name="StateDirectory">The service's persistent folder (the database's): holds the accepted known_hosts.</param>
public sealed record GitOptions(string Url, string Ref, string? SshKeyFile, string? KnownHostsFile, string StateDirectory)
{
    /// <summary>The longest one git command (a clone or a fetch) may take before it is stopped.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Whether <see cref="Url"/> is reached over ssh (<c>ssh://</c> or scp-like <c>user@host:path</c>).</summary>
    public bool UsesSsh => IsSsh(Url);

    /// <summary>The remote-tracking ref the working copy is reset to.</summary>
    public string TrackingRef => $"refs/remotes/origin/{Ref}";

    /// <summary>The known_hosts file ssh reads and, without a pinned file, writes.</summary>
    public string KnownHosts => KnownHostsFile ?? Path.Combine(StateDirectory, "known_hosts");

    internal static bool IsSsh(string url) =>
        url.StartsWith("ssh://", StringComparison.Ordinal)
        || (!url.Contains("://", StringComparison.Ordinal) && url.IndexOf(':') is var colon and > 0 && url.IndexOf('/') is var slash && (slash < 0 || colon < slash));
}
