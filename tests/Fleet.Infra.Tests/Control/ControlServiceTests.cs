using System.Text;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Control;

/// <summary>
/// <c>fleet:images.control</c>: the stack runs the control service on the manager with everything it needs, its
/// credentials taken from secret stack config and kept secret all the way into the orchestrator.
/// </summary>
public class ControlServiceTests
{
    private const string Webhook = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3Kq1bH8f6gQ=";
    private const string DeployKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";
    private const string Token = "pul-0123456789abcdef0123456789abcdef01234567";

    private static readonly (string, string?)[] Control =
    [
        ("fleet:images", "{agent: \"registry.example.com/fleet/agent:0.1.0\", gateway: \"registry.example.com/fleet/gateway:0.1.0\", control: \"registry.example.com/fleet/control:0.1.0\"}"),
        ("fleet:control", "{gitUrl: \"git@github.com:acme/fleet.git\", gitRef: release}"),
        ("fleet:pools", "[{name: burst, size: s-4vcpu-8gb, nodes: [a1], min: 1, max: 4}]"),
    ];

    /// <summary>As under <c>pulumi up</c>: the credentials decrypted for the compiler, and secret nodes for pulumi-yaml.</summary>
    private static (string Yaml, EvaluatedProgram Program) Up(params (string Key, string? Yaml)[] extra)
    {
        var secrets = new Dictionary<string, string> { ["fleet:controlWebhookSecret"] = Webhook, ["fleet:controlDeployKey"] = DeployKey, ["fleet:controlPulumiToken"] = Token };
        var file = TestStacks.StackFile([.. Control, .. extra, ("digitalocean:token", "dop_v1_test")]);
        var values = new Dictionary<string, RawConfigValue>(file.Values, StringComparer.Ordinal);
        foreach (var (k, v) in secrets) values[k] = new RawConfigValue(System.Text.Json.Nodes.JsonValue.Create(v), IsSecret: false);
        var config = file with { Values = values, Origin = ConfigOrigin.Engine };
        var result = SynthesisPipeline.Run(config);
        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
        var yaml = PulumiYamlWriter.Write(result.Program!);
        var engine = Lifecycle.LifecyclePrograms.EngineView(config);
        foreach (var (k, v) in secrets) engine[k] = new Secret(v);
        return (yaml, ProgramEvaluator.Evaluate(yaml, stackConfig: engine));
    }

    [Fact]
    public void Swarm_runs_the_service_on_the_manager_with_its_settings_and_its_credentials_as_docker_secrets()
    {
        var (yaml, program) = Up();
        var service = program["service-control"];
        var spec = (Dictionary<string, object?>)((Dictionary<string, object?>)service.Input("taskSpec")!)["containerSpec"]!;

        Assert.Equal("registry.example.com/fleet/control:0.1.0", spec["image"]);
        var env = (Dictionary<string, object?>)spec["env"]!;
        Assert.Equal("test", env["FLEET_STACKS"]);
        Assert.Equal("git@github.com:acme/fleet.git", env["FLEET_GIT_URL"]);
        Assert.Equal("release", env["FLEET_GIT_REF"]);
        Assert.Equal("http://gateway:8080", env["FLEET_GATEWAY_URL"]);
        Assert.Equal(ControlEnvironment.WebhookSecret.Path, env["FLEET_WEBHOOK_SECRET_FILE"]);
        Assert.Equal(ControlEnvironment.DeployKey.Path, env["FLEET_GIT_SSH_KEY_FILE"]);
        Assert.False(env.ContainsKey("PULUMI_ACCESS_TOKEN"), "the token is a file, exported by the entrypoint, never in the service spec");

        var mounts = ((List<object?>)spec["secrets"]!).Cast<Dictionary<string, object?>>().ToArray();
        // ssh refuses a deploy key others may read: every credential is 0400 and the service user's.
        Assert.All(mounts, m => Assert.Equal((256, "1654"), (Convert.ToInt32(m["fileMode"], System.Globalization.CultureInfo.InvariantCulture), (string)m["fileUid"]!)));
        var mounted = mounts.ToDictionary(s => (string)s["fileName"]!, s => (string)s["secretName"]!);
        foreach (var (file, value) in new[] { (ControlEnvironment.WebhookSecret, Webhook), (ControlEnvironment.DeployKey, DeployKey), (ControlEnvironment.PulumiToken, Token) })
        {
            var secret = program[$"control-secret-{file.FileName}"];
            Assert.True(secret.IsSecret("data"), $"{secret.Name} must stay secret in state");
            Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), secret.InputString("data"));
            Assert.Equal(EvaluatedResource.Unwrap(secret.Outputs["name"]), mounted[file.Path]);
        }
        Assert.True(mounted.ContainsKey($"{ControlEnvironment.SecretsDirectory}/gateway-admin-token"));
        // The program text carries references, never a credential's value.
        foreach (var value in new[] { Webhook, Token, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ" })
            Assert.DoesNotContain(value, yaml);
        Assert.Equal($"http://{TestMocks.ManagerPublicIp}/v1/scale", EvaluatedResource.Unwrap(program.Outputs["controlWebhookUrl"]));
    }

    [Fact]
    public void The_console_gets_a_generated_token_and_a_pinned_git_host_key_is_mounted()
    {
        var (_, program) = Up(("fleet:control", "{gitUrl: \"git@github.com:acme/fleet.git\", knownHosts: \"github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\"}"));
        var spec = (Dictionary<string, object?>)((Dictionary<string, object?>)program["service-control"].Input("taskSpec")!)["containerSpec"]!;
        var env = (Dictionary<string, object?>)spec["env"]!;
        Assert.Equal(ControlEnvironment.ConsoleTokenFile, env["FLEET_CONSOLE_TOKEN_FILE"]);
        Assert.Equal(ControlEnvironment.KnownHostsFile, env["FLEET_GIT_KNOWN_HOSTS_FILE"]);
        var files = ((List<object?>)spec["secrets"]!).Cast<Dictionary<string, object?>>().Select(m => (string)m["fileName"]!).ToArray();
        Assert.Contains(ControlEnvironment.ConsoleTokenFile, files);
        Assert.Contains(ControlEnvironment.KnownHostsFile, files);
        Assert.True(program["control-secret-console-token"].IsSecret("data"));
        Assert.IsType<Secret>(program.Outputs["controlConsoleToken"]);
    }

    [Fact]
    public void The_caddy_edge_forwards_the_webhook_to_the_service()
    {
        var (_, program) = Up();
        var caddyfile = Encoding.UTF8.GetString(Convert.FromBase64String(program["caddyfile"].InputString("data")));

        Assert.Contains("reverse_proxy \"control:8090\"", caddyfile);
        Assert.Contains("path /v1/scale", caddyfile);
    }

    [Fact]
    public void K3s_runs_the_service_on_the_managers_loopback_with_a_secret_of_its_credentials()
    {
        var (_, program) = Up(("fleet:orchestrator", "k3s"));
        var secret = program["control-secrets"];
        var files = (Dictionary<string, object?>)secret.Input("stringData")!;
        Assert.All(files.Values, v => Assert.IsType<Secret>(v)); // each value stays secret in state
        Assert.Equal(Webhook, EvaluatedResource.Unwrap(files["webhook-secret"]));
        Assert.Equal(Token, EvaluatedResource.Unwrap(files["pulumi-access-token"]));

        var deployment = program["control-deployment"];
        var pod = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)deployment.Input("spec")!)["template"]!)["spec"]!;
        Assert.Equal(true, pod["hostNetwork"]);
        var container = (Dictionary<string, object?>)((List<object?>)pod["containers"]!).Single()!;
        var env = ((List<object?>)container["env"]!).Cast<Dictionary<string, object?>>().ToDictionary(e => (string)e["name"]!, e => e.GetValueOrDefault("value"));
        Assert.Equal("http://127.0.0.1:8090", env["FLEET_LISTEN"]);
        Assert.Equal("http://127.0.0.1:8080", env["FLEET_GATEWAY_URL"]);
    }

    [Fact]
    public void On_digitalocean_the_manager_may_reach_its_own_admin_ports_and_nobody_else_is_added()
    {
        var (_, with) = Up();
        var self = with["firewall-self-manager"];
        var rules = ((List<object?>)self.Input("inboundRules")!).Cast<Dictionary<string, object?>>().ToArray();
        Assert.Equal(["22", "2376"], rules.Select(r => (string)r["portRange"]!).Order(StringComparer.Ordinal));
        var managerAddress = (string)EvaluatedResource.Unwrap(with[Fleet.Infra.Model.FleetNames.ManagerResource].Outputs["ipv4Address"])!;
        Assert.All(rules, r => Assert.Equal([managerAddress], ((List<object?>)r["sourceAddresses"]!).Cast<string>()));

        var (_, without) = Fleets.Evaluate();
        Assert.DoesNotContain(without.Resources, r => r.Name == "firewall-self-manager");
        var (_, hetzner) = Up(("fleet:cloud", "hetzner"), ("fleet:region", "fsn1"), ("fleet:manager", "{size: cx23}"), ("fleet:pools", "[{name: burst, size: cx33, nodes: [a1], min: 1, max: 4}]"), ("hcloud:token", "x"));
        Assert.DoesNotContain(hetzner.Resources, r => r.Name.StartsWith("firewall-self", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_image_no_control_service_is_declared()
    {
        var (yaml, program) = Fleets.Evaluate();
        Assert.DoesNotContain(program.Resources, r => r.Name.Contains("control", StringComparison.Ordinal));
        Assert.DoesNotContain("/v1/scale", Encoding.UTF8.GetString(Convert.FromBase64String(program["caddyfile"].InputString("data"))));
        Assert.DoesNotContain("controlWebhookUrl", yaml);
    }
}
