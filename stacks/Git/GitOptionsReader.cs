using System.Text.RegularExpressions;

namespace Fleet.Stacks.Git;

/// <summary>
/// Reads the <c>FLEET_GIT_*</c> settings, appending every problem to the caller's list (each names the variable, its
/// value and the fix). Null without <c>FLEET_GIT_URL</c>: the working copy is then the operator's, as before.
/// </summary>
public static partial class GitOptionsReader
{
    /// <param name="get">A variable's trimmed value, or null when unset or empty.</param>
    /// <param name="projectDirectory">FLEET_PROJECT_DIR, the clone (null when unset; reported by the caller).</param>
    /// <param name="databasePath">The database file; its folder is the state folder (accepted known_hosts).</param>
    public static GitOptions? Read(Func<string, string?> get, string? projectDirectory, string databasePath, List<string> errors)
    {
        var count = errors.Count;
        var url = get("FLEET_GIT_URL");
        var gitRef = get("FLEET_GIT_REF") ?? "main";
        var key = get("FLEET_GIT_SSH_KEY_FILE");
        var knownHosts = get("FLEET_GIT_KNOWN_HOSTS_FILE");
        if (url is null)
        {
            foreach (var name in new[] { "FLEET_GIT_REF", "FLEET_GIT_SSH_KEY_FILE", "FLEET_GIT_KNOWN_HOSTS_FILE" }.Where(n => get(n) is not null))
                errors.Add($"{name} is set but FLEET_GIT_URL is not: set FLEET_GIT_URL to the repository to clone, or remove {name}");
            return null;
        }

        var ssh = GitOptions.IsSsh(url);
        if (!ssh)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "file"))
                errors.Add($"FLEET_GIT_URL={url} must be an ssh URL (ssh://git@host/org/repo.git or git@host:org/repo.git, with FLEET_GIT_SSH_KEY_FILE), an https:// URL or a file:// URL");
            else if (uri.UserInfo.Length > 0)
                errors.Add($"FLEET_GIT_URL must not carry credentials (it is logged and shown to git's child processes): use an ssh URL with a read-only deploy key in FLEET_GIT_SSH_KEY_FILE");
        }
        if (!RefPattern().IsMatch(gitRef))
            errors.Add($"FLEET_GIT_REF={gitRef} is not a branch or tag name (letters, digits, '._/-', no '..', not starting with '-'), e.g. main");

        if (ssh && key is null)
            errors.Add($"FLEET_GIT_SSH_KEY_FILE is required with the ssh URL FLEET_GIT_URL={url}: the private half of a read-only deploy key (ssh-keygen -t ed25519 -N '' -f deploy-key; add deploy-key.pub to the repository's deploy keys)");
        else if (!ssh && key is not null)
            errors.Add($"FLEET_GIT_SSH_KEY_FILE={key} is only used with an ssh FLEET_GIT_URL, not {url}: remove it or use the repository's ssh URL");
        else if (key is not null && ReadProblem(key, requirePrivateKey: true) is { } problem)
            errors.Add($"FLEET_GIT_SSH_KEY_FILE={key}: {problem}");

        if (knownHosts is not null && !ssh)
            errors.Add($"FLEET_GIT_KNOWN_HOSTS_FILE={knownHosts} is only used with an ssh FLEET_GIT_URL, not {url}: remove it");
        else if (knownHosts is not null && ReadProblem(knownHosts, requirePrivateKey: false) is { } problem)
            errors.Add($"FLEET_GIT_KNOWN_HOSTS_FILE={knownHosts}: {problem} (create it with `ssh-keyscan <git host> > known_hosts` and check the fingerprints)");

        var state = Path.GetDirectoryName(Path.GetFullPath(databasePath)) ?? Path.GetFullPath(".");
        if (projectDirectory is not null && (state + "/").StartsWith(Path.GetFullPath(projectDirectory).TrimEnd('/') + "/", StringComparison.Ordinal))
            errors.Add($"FLEET_DATABASE={databasePath} is inside FLEET_PROJECT_DIR={projectDirectory}, the service's clone, which is reset and cleaned before every run: put the database on its own volume (default /var/lib/fleet-stacks/stacks.db)");
        return errors.Count == count ? new GitOptions(url, gitRef, key, knownHosts, state) : null;
    }

    private static string? ReadProblem(string path, bool requirePrivateKey)
    {
        try
        {
            // Only the header is looked at; the key itself is never kept, copied or logged.
            using var reader = new StreamReader(path);
            var first = reader.ReadLine() ?? "";
            if (requirePrivateKey && !(first.StartsWith("-----BEGIN ", StringComparison.Ordinal) && first.Contains("PRIVATE KEY", StringComparison.Ordinal)))
                return "is not a private key file (it must start with -----BEGIN … PRIVATE KEY-----; the .pub half goes to the git host's deploy keys)";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read ({e.Message}); mount it readable by the service's user";
        }
    }

    [GeneratedRegex(@"^(?!-)(?!.*\.\.)(?!.*//)(?!.*\.lock$)[A-Za-z0-9._/-]+(?<![/.])$")]
    private static partial Regex RefPattern();
}
