using System.Collections;

namespace Fleet.Stacks.Git;

/// <summary>
/// The environment <c>git</c> (and the <c>ssh</c> it starts) gets: an allow-list like <c>pulumi</c>'s
/// (<see cref="Pulumi.ChildEnvironment"/>), never the service's own secrets, plus the ssh command that uses the deploy key.
/// </summary>
public sealed class GitEnvironment(GitOptions options)
{
    /// <summary>Names passed as they are: process basics, locale, proxies and CA paths.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TZ", "LANG", "LANGUAGE",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    };

    public static bool Allows(string name) => Names.Contains(name) || name.StartsWith("LC_", StringComparison.Ordinal);

    /// <summary>
    /// <c>ssh -i KEY -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new|yes -o UserKnownHostsFile=FILE</c>:
    /// only the deploy key is offered, nothing ever prompts, and the host key is checked against the pinned file or,
    /// without one, the first key seen is kept in the state folder and required from then on. Null for non-ssh URLs.
    /// </summary>
    public string? SshCommand => options.SshKeyFile is not { } key ? null : string.Join(' ',
        "ssh", "-i", Quote(key), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-o", options.KnownHostsFile is null ? "StrictHostKeyChecking=accept-new" : "StrictHostKeyChecking=yes",
        "-o", Quote("UserKnownHostsFile=" + options.KnownHosts));

    /// <summary>What to hand CliWrap: every inherited variable not allowed mapped to null (removed), plus git's own settings.</summary>
    public Dictionary<string, string?> ForChild()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            if (e.Key is string name && !Allows(name)) result[name] = null;
        result["GIT_TERMINAL_PROMPT"] = "0"; // a missing credential fails instead of waiting for a terminal
        if (SshCommand is { } ssh) result["GIT_SSH_COMMAND"] = ssh;
        return result;
    }

    // git runs GIT_SSH_COMMAND through the shell: single quotes keep paths with spaces (and anything else) literal.
    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
