using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.AppLayer;

/// <summary>
/// What the control service (stacks/) gets on either orchestrator: its settings (stacks/README.md, "Settings") and the
/// files its credentials are mounted as. Secrets are files, never environment values in the service's spec; the Pulumi
/// access token and a backend's storage credentials, which the CLI reads only from the environment, are exported from
/// their files by <see cref="Entrypoint"/> just before the service starts.
/// </summary>
public static class ControlEnvironment
{
    public const string SecretsDirectory = "/run/fleet-control";
    public const string DataDirectory = "/var/lib/fleet-stacks";
    public const string ProjectDirectory = "/work/fleet";

    /// <summary>The user the image runs as (<c>$APP_UID</c> of the .NET images, stacks/Dockerfile).</summary>
    public const string ServiceUid = "1654";

    /// <summary>One credential: the stack config key it comes from and the file name it is mounted as.</summary>
    public sealed record SecretFile(string ConfigKey, string FileName)
    {
        public string Path => $"{SecretsDirectory}/{FileName}";
    }

    public static readonly SecretFile WebhookSecret = new(ControlReader.WebhookSecret, "webhook-secret");
    public static readonly SecretFile DeployKey = new(ControlReader.DeployKey, "git-deploy-key");
    public static readonly SecretFile PulumiToken = new(ControlReader.PulumiToken, "pulumi-access-token");
    public static readonly SecretFile Passphrase = new(ControlReader.Passphrase, "pulumi-passphrase");
    public static readonly SecretFile BackendEnv = new(ControlReader.BackendEnv, "backend-env");

    /// <summary>The credentials this stack sets, in a fixed order.</summary>
    public static IReadOnlyList<SecretFile> Secrets(ControlConfig control) =>
    [
        WebhookSecret,
        .. control.HasDeployKey ? [DeployKey] : Array.Empty<SecretFile>(),
        .. control.HasPulumiToken ? [PulumiToken] : Array.Empty<SecretFile>(),
        .. control.HasPassphrase ? [Passphrase] : Array.Empty<SecretFile>(),
        .. control.HasBackendEnv ? [BackendEnv] : Array.Empty<SecretFile>(),
    ];

    /// <param name="gatewayUrl">Where the gateway's admin API answers from the service's network.</param>
    /// <param name="gatewayTokenFile">The file holding the gateway's admin token.</param>
    /// <param name="listen">The service's listen URL.</param>
    public static IReadOnlyList<(string Name, PValue Value)> For(FleetConfig config, ControlConfig control, string gatewayUrl, string gatewayTokenFile, string listen) =>
    [
        ("FLEET_STACKS", Px.Lit(config.Stack)),
        ("FLEET_PROJECT_DIR", Px.Lit(ProjectDirectory)),
        ("FLEET_DATABASE", Px.Lit($"{DataDirectory}/stacks.db")),
        ("FLEET_LISTEN", Px.Lit(listen)),
        ("FLEET_GATEWAY_URL", Px.Lit(gatewayUrl)),
        ("FLEET_GATEWAY_TOKEN_FILE", Px.Lit(gatewayTokenFile)),
        ("FLEET_WEBHOOK_SECRET_FILE", Px.Lit(WebhookSecret.Path)),
        ("FLEET_GIT_URL", Px.Lit(control.GitUrl)),
        ("FLEET_GIT_REF", Px.Lit(control.GitRef)),
        .. control.HasDeployKey ? [("FLEET_GIT_SSH_KEY_FILE", (PValue)Px.Lit(DeployKey.Path))] : Array.Empty<(string, PValue)>(),
        .. control.BackendUrl is { } url ? [("PULUMI_BACKEND_URL", (PValue)Px.Lit(url))] : Array.Empty<(string, PValue)>(),
        .. control.HasPassphrase ? [("PULUMI_CONFIG_PASSPHRASE_FILE", (PValue)Px.Lit(Passphrase.Path))] : Array.Empty<(string, PValue)>(),
        ("PULUMI_SKIP_UPDATE_CHECK", Px.Lit("true")),
    ];

    /// <summary>
    /// <c>sh -c</c> script that starts the service: the access token and the backend's <c>NAME=value</c> lines are
    /// exported from their files as they are (never evaluated by the shell; names other than a storage backend's are
    /// skipped), then the service replaces the shell.
    /// </summary>
    public static string Entrypoint => $$"""
        set -eu
        if [ -r {{PulumiToken.Path}} ]; then PULUMI_ACCESS_TOKEN=$(cat {{PulumiToken.Path}}); export PULUMI_ACCESS_TOKEN; fi
        if [ -r {{BackendEnv.Path}} ]; then
          while IFS= read -r line || [ -n "$line" ]; do
            # The line itself is the assignment: exported as written, never evaluated.
            # shellcheck disable=SC2163
            case "$line" in
              {{string.Join("|", ControlReader.BackendEnvPrefixes.Select(p => p + "*=*"))}}) export "$line" ;;
            esac
          done < {{BackendEnv.Path}}
        fi
        exec dotnet /app/Fleet.Stacks.dll

        """;

    /// <summary>The reference to the credential's stack config (a secret node of the program: docs/engine-semantics.md).</summary>
    public static PString Value(SecretFile secret) => Px.Ref(secret.ConfigKey);
}
