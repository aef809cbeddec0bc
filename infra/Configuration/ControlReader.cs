using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary>
/// The control service the stack runs on the manager (<c>fleet:images.control</c>): <c>fleet:control</c> (where the
/// project comes from, which backend) and its credentials, each a secret key of its own (<see cref="SecretKeys"/>).
/// Secrets are checked for presence and encryption in a stack file, and for their shape when the engine hands them
/// over; their values never leave this class (the program references them as config).
/// </summary>
public static class ControlReader
{
    public const string WebhookSecret = "controlWebhookSecret";
    public const string DeployKey = "controlDeployKey";
    public const string PulumiToken = "controlPulumiToken";
    public const string Passphrase = "controlPassphrase";
    public const string BackendEnv = "controlBackendEnv";

    /// <summary>The secret keys, each read by the program as <c>${name}</c> (the config node pulumi-yaml makes of it).</summary>
    public static readonly string[] SecretKeys = [WebhookSecret, DeployKey, PulumiToken, Passphrase, BackendEnv];

    /// <summary>Names a <see cref="BackendEnv"/> line may set: a self-managed backend's storage credentials.</summary>
    public static readonly string[] BackendEnvPrefixes = ["AWS_", "AZURE_", "GOOGLE_"];

    private const string Example = "'{\"gitUrl\":\"git@github.com:acme/fleet.git\",\"gitRef\":\"main\"}'";
    private const string SecretExample = "\"whsec_$(openssl rand -base64 32)\"";

    public static ControlConfig? Read(ConfigFieldReader f, StackConfig raw, string ns, bool imageSet)
    {
        var path = ns + "control";
        var node = raw.Get(path)?.Value;
        if (!imageSet)
        {
            foreach (var key in SecretKeys.Prepend("control").Where(k => raw.Get(ns + k) is not null))
                f.Bag.Error(ConfigCodes.Conflict, ns + key, $"{ns}{key} is set but {ns}images.control is not: the control service runs only when its image is given", ConfigFix.Set(ns + "images.control", "registry.example.com/fleet/control:0.1.0"));
            return null;
        }

        var obj = f.Object(node, path, Example, required: true);
        if (obj is null) return null;
        var errors = f.Bag.ErrorCount;
        f.RejectUnknownKeys(obj, path, "gitUrl", "gitRef", "backendUrl", "knownHosts");
        var gitUrl = f.String(obj["gitUrl"], path + ".gitUrl", "git@github.com:acme/fleet.git", required: true);
        var gitRef = obj["gitRef"] is null ? "main" : f.String(obj["gitRef"], path + ".gitRef", "main", required: true);
        var backendUrl = obj["backendUrl"] is null ? null : f.String(obj["backendUrl"], path + ".backendUrl", "s3://acme-pulumi-state", required: true);

        var sshUrl = false;
        if (gitUrl is not null)
        {
            sshUrl = gitUrl.StartsWith("ssh://", StringComparison.Ordinal) || (!gitUrl.Contains("://", StringComparison.Ordinal) && gitUrl.Contains('@') && gitUrl.Contains(':'));
            if (!sshUrl && !gitUrl.StartsWith("https://", StringComparison.Ordinal) || gitUrl.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || gitUrl.StartsWith('-'))
                f.Bag.Error(ConfigCodes.BadFormat, path + ".gitUrl", $"{path}.gitUrl \"{ConfigFieldReader.Printable(gitUrl)}\" is not a git URL the service can clone: use git@host:owner/repo.git, ssh://… (with {ns}{DeployKey}) or https://…", ConfigFix.Set(path + ".gitUrl", "git@github.com:acme/fleet.git"));
        }
        if (gitRef is not null && (gitRef.Length > 200 || gitRef.StartsWith('-') || gitRef.Contains("..", StringComparison.Ordinal) || gitRef.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\')))
            f.Bag.Error(ConfigCodes.BadFormat, path + ".gitRef", $"{path}.gitRef \"{ConfigFieldReader.Printable(gitRef)}\" is not a branch name (git check-ref-format)", ConfigFix.Set(path + ".gitRef", "main"));
        var knownHosts = obj["knownHosts"] is null ? null : f.String(obj["knownHosts"], path + ".knownHosts", "\"$(ssh-keyscan github.com)\"", required: true);
        if (knownHosts is not null && (knownHosts.Contains("PRIVATE KEY", StringComparison.Ordinal) || !knownHosts.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(l => l.StartsWith('#') || l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3)))
            f.Bag.Error(ConfigCodes.BadFormat, path + ".knownHosts", $"{path}.knownHosts must be ssh-keyscan output: lines of <host> <key type> <key>", ConfigFix.Set(path + ".knownHosts", "\"$(ssh-keyscan github.com)\""));
        var pulumiCloud = backendUrl is null || backendUrl.StartsWith("https://", StringComparison.Ordinal);
        if (backendUrl is not null && !(pulumiCloud || backendUrl.StartsWith("s3://", StringComparison.Ordinal) || backendUrl.StartsWith("gs://", StringComparison.Ordinal) || backendUrl.StartsWith("azblob://", StringComparison.Ordinal)))
            f.Bag.Error(ConfigCodes.NotAllowed, path + ".backendUrl", $"{path}.backendUrl \"{ConfigFieldReader.Printable(backendUrl)}\" is not a backend the service can share with you: use s3://, gs://, azblob:// or a Pulumi Cloud https:// URL (a file:// backend on your laptop is not reachable from the manager)", ConfigFix.Set(path + ".backendUrl", "s3://acme-pulumi-state"));

        var webhook = Secret(f, raw, ns, WebhookSecret, required: true, SecretExample, "the secret the webhook's senders sign with");
        var deployKey = Secret(f, raw, ns, DeployKey, required: sshUrl, "\"$(cat deploy_key)\"", $"the read-only deploy key for {path}.gitUrl");
        var token = Secret(f, raw, ns, PulumiToken, required: pulumiCloud, "pul-…", "the Pulumi Cloud access token the service logs in with");
        Secret(f, raw, ns, Passphrase, required: false, "\"$(cat passphrase)\"", "the stack's secrets passphrase");
        var backendEnv = Secret(f, raw, ns, BackendEnv, required: false, "\"$(printf 'AWS_ACCESS_KEY_ID=…\\nAWS_SECRET_ACCESS_KEY=…')\"", "the backend's storage credentials");

        if (webhook is { } w) CheckWebhookSecret(f, ns + WebhookSecret, w);
        if (deployKey is { } k && !k.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal))
            f.Bag.Error(ConfigCodes.BadFormat, ns + DeployKey, $"{ns}{DeployKey} is not a PEM/OpenSSH private key (the value is not shown): it must start with -----BEGIN", $"ssh-keygen -t ed25519 -N '' -f deploy_key, add deploy_key.pub to the repository as a read-only deploy key, then pulumi config set --secret {ns}{DeployKey} \"$(cat deploy_key)\"");
        if (token is { Length: 0 })
            f.Bag.Error(ConfigCodes.BadFormat, ns + PulumiToken, $"{ns}{PulumiToken} is empty", ConfigFix.Set(ns + PulumiToken, "pul-…", secret: true));
        if (backendEnv is not null) CheckBackendEnv(f, ns + BackendEnv, backendEnv);

        if (f.Bag.ErrorCount > errors || gitUrl is null || gitRef is null) return null;
        bool Has(string key) => raw.Get(ns + key) is not null;
        return new ControlConfig(gitUrl, gitRef, backendUrl, Has(DeployKey), Has(PulumiToken), Has(Passphrase), Has(BackendEnv)) { KnownHosts = knownHosts };
    }

    /// <summary>
    /// Present and encrypted in a stack file; its text when the engine decrypted it (null otherwise). A plain-text value
    /// in the stack file is an error: the credential is in git.
    /// </summary>
    private static string? Secret(ConfigFieldReader f, StackConfig raw, string ns, string key, bool required, string example, string what)
    {
        var value = raw.Get(ns + key);
        if (value is null)
        {
            if (required) f.Bag.Error(ConfigCodes.Missing, ns + key, $"{ns}{key} is required with {ns}images.control: {what}", ConfigFix.Set(ns + key, example, secret: true));
            return null;
        }
        if (raw.Origin == ConfigOrigin.StackFile && !value.IsSecret)
        {
            f.Bag.Error(ConfigCodes.NotSecret, ns + key, $"{ns}{key} is stored in plain text in Pulumi.{raw.Stack}.yaml; it must be a secret (then rotate it: it is in your git history)", ConfigFix.Set(ns + key, example, secret: true));
            return null;
        }
        if (value.IsEncrypted) return null;
        if (value.Value is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            f.Bag.Error(ConfigCodes.WrongType, ns + key, $"{ns}{key} must be a string (the value is not shown)", ConfigFix.Set(ns + key, example, secret: true));
            return null;
        }
        return text;
    }

    /// <summary>The control service's own rule (<see cref="WebhookSecretRules"/>), so the service never refuses what the stack accepted.</summary>
    private static void CheckWebhookSecret(ConfigFieldReader f, string key, string text)
    {
        string? weak;
        try { weak = WebhookSecretRules.Weakness(text); }
        catch (FormatException e) { weak = e.Message; }
        if (weak is not null)
            f.Bag.Error(ConfigCodes.BadFormat, key, $"{key} is too weak: {weak} (the value is not shown)", ConfigFix.Set(key, SecretExample, secret: true));
    }

    /// <summary><c>NAME=value</c> lines; names of a storage backend only, so nothing else in the service's environment is set.</summary>
    private static void CheckBackendEnv(ConfigFieldReader f, string key, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            var eq = lines[i].IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? lines[i][..eq] : "";
            if (eq <= 0 || !name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_') || !BackendEnvPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
                f.Bag.Error(ConfigCodes.BadFormat, key, $"{key} line {i + 1} must be NAME=value with a name starting {string.Join(", ", BackendEnvPrefixes)} (only the name is shown: \"{ConfigFieldReader.Printable(name.Length > 40 ? name[..40] : name)}\")", ConfigFix.Set(key, "\"$(printf 'AWS_ACCESS_KEY_ID=…\\nAWS_SECRET_ACCESS_KEY=…')\"", secret: true));
        }
    }
}
