using System.Collections;

namespace Fleet.Stacks.Pulumi;

/// <summary>
/// The environment <c>pulumi</c> (and the compiler it starts) gets: an allow-list, not the service's whole environment.
/// The webhook secret, the gateway token and everything else named <c>FLEET_*</c> never reach it.
/// </summary>
/// <param name="extra">More names to pass (<c>FLEET_PULUMI_ENV</c>), e.g. a provider's or a backend's credentials.</param>
public sealed class ChildEnvironment(IReadOnlyCollection<string>? extra = null)
{
    /// <summary>Names passed as they are: the process basics, proxies and CAs, cloud and backend credentials.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TMP", "TEMP", "TZ", "LANG", "LANGUAGE",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
        "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "NUGET_PACKAGES",
        // providers (read by the providers themselves when not in stack config)
        "DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN", "HCLOUD_TOKEN",
        // self-managed backends (s3://, azblob://, gs://)
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
        "AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CREDENTIALS",
        // the compiler (scripts/fleet-synth)
        "FLEET_SYNTH_JIT",
    };

    /// <summary>Prefixes passed: the CLI's own settings (backend URL, access token, passphrase), .NET, locale.</summary>
    public static readonly IReadOnlyList<string> Prefixes = ["PULUMI_", "DOTNET_", "LC_"];

    /// <summary>Secrets of the service itself: never passed, whatever the lists say.</summary>
    private static readonly string[] Never = ["FLEET_WEBHOOK_SECRET", "FLEET_GATEWAY_TOKEN"];

    public bool Allows(string name) =>
        !Never.Any(n => name.StartsWith(n, StringComparison.Ordinal))
        && (Names.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || (extra?.Contains(name) ?? false));

    /// <summary>
    /// What to hand CliWrap for one command: every inherited variable that is not allowed, mapped to null (CliWrap
    /// removes it from the child's environment), plus <paramref name="set"/>.
    /// </summary>
    public Dictionary<string, string?> For(IReadOnlyDictionary<string, string> set)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            if (e.Key is string name && !Allows(name)) result[name] = null;
        foreach (var (k, v) in set) result[k] = v;
        return result;
    }
}
