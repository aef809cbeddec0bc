using System.Text.Json.Nodes;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Control;

/// <summary>Every mistake in the control service's settings is an error naming the key and the fix, and never showing a credential.</summary>
public class ControlConfigTests
{
    private const string Images = "{agent: \"registry.example.com/fleet/agent:0.1.0\", gateway: \"registry.example.com/fleet/gateway:0.1.0\", control: \"registry.example.com/fleet/control:0.1.0\"}";
    private const string Secure = "{secure: v1:abc}";

    private static SynthesisResult File(params (string Key, string? Yaml)[] overrides) => SynthesisPipeline.Run(TestStacks.StackFile(overrides));

    private static SynthesisResult Engine(Dictionary<string, string> secrets, params (string Key, string? Yaml)[] overrides)
    {
        var file = TestStacks.StackFile(overrides);
        var values = new Dictionary<string, RawConfigValue>(file.Values, StringComparer.Ordinal);
        foreach (var (k, v) in secrets) values[k] = new RawConfigValue(JsonValue.Create(v), IsSecret: false);
        return SynthesisPipeline.Run(file with { Values = values, Origin = ConfigOrigin.Engine });
    }

    private static void AssertError(SynthesisResult result, string path, string code, string? mustNotShow = null)
    {
        Assert.Null(result.Program);
        var d = Assert.Single(result.Diagnostics, d => d.Path == path && d.Code == code);
        Assert.Contains(path, d.Message + d.Fix);
        if (mustNotShow is not null) Assert.DoesNotContain(mustNotShow, d.Message + d.Fix);
    }

    [Fact]
    public void The_image_needs_the_control_settings() =>
        AssertError(File(("fleet:images", Images)), "fleet:control", ConfigCodes.Missing);

    [Fact]
    public void Control_settings_without_the_image_are_refused_not_ignored() =>
        AssertError(File(("fleet:controlWebhookSecret", Secure)), "fleet:controlWebhookSecret", ConfigCodes.Conflict);

    [Fact]
    public void An_ssh_url_needs_a_deploy_key_and_pulumi_cloud_needs_a_token()
    {
        var result = File(("fleet:images", Images), ("fleet:control", "{gitUrl: \"git@github.com:acme/fleet.git\"}"), ("fleet:controlWebhookSecret", Secure));
        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:controlDeployKey" && d.Code == ConfigCodes.Missing && d.Fix!.Contains("--secret"));
        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:controlPulumiToken" && d.Code == ConfigCodes.Missing);
    }

    [Fact]
    public void A_plain_text_credential_in_the_stack_file_is_refused() =>
        AssertError(File(("fleet:images", Images), ("fleet:control", "{gitUrl: \"https://github.com/acme/fleet.git\", backendUrl: \"s3://state\"}"), ("fleet:controlWebhookSecret", "whsec_plaintextvalue0000000000000000000")),
            "fleet:controlWebhookSecret", ConfigCodes.NotSecret, mustNotShow: "plaintextvalue");

    [Theory]
    [InlineData("{gitUrl: \"--upload-pack=touch /tmp/x\"}", "fleet:control.gitUrl")]
    [InlineData("{gitUrl: \"ftp://example.com/x.git\"}", "fleet:control.gitUrl")]
    [InlineData("{gitUrl: \"https://github.com/acme/fleet.git\", gitRef: \"main..x\"}", "fleet:control.gitRef")]
    [InlineData("{gitUrl: \"https://github.com/acme/fleet.git\", backendUrl: \"file:///home/me/state\"}", "fleet:control.backendUrl")]
    [InlineData("{gitUrl: \"https://github.com/acme/fleet.git\", branch: main}", "fleet:control.branch")]
    public void Bad_control_settings_name_the_field(string control, string path)
    {
        var result = File(("fleet:images", Images), ("fleet:control", control), ("fleet:controlWebhookSecret", Secure), ("fleet:controlPulumiToken", Secure));
        Assert.Null(result.Program);
        Assert.Contains(result.Diagnostics, d => d.Path == path);
    }

    [Theory]
    [InlineData("fleet:controlWebhookSecret", "whsec_c2hvcnQ=", "c2hvcnQ")]
    [InlineData("fleet:controlWebhookSecret", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa")]
    // 32 zero bytes: long enough, but the control service refuses a key of repeated values at start, so the stack must too.
    [InlineData("fleet:controlWebhookSecret", "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAA")]
    [InlineData("fleet:controlWebhookSecret", "whsec_not*base64", "not*base64")]
    [InlineData("fleet:controlDeployKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPublicNotPrivate", "PublicNotPrivate")]
    [InlineData("fleet:controlBackendEnv", "AWS_ACCESS_KEY_ID=AKIA123\nPATH=/tmp/evil", "AKIA123")]
    public void Weak_or_malformed_credentials_are_refused_at_up_without_showing_them(string key, string value, string hidden)
    {
        var secrets = new Dictionary<string, string>
        {
            ["fleet:controlWebhookSecret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3Kq1bH8f6gQ=",
            ["fleet:controlDeployKey"] = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n",
            ["fleet:controlPulumiToken"] = "pul-0123456789abcdef",
            [key] = value,
        };
        var result = Engine(secrets, ("fleet:images", Images), ("fleet:control", "{gitUrl: \"git@github.com:acme/fleet.git\"}"), ("digitalocean:token", "x"));

        AssertError(result, key, ConfigCodes.BadFormat, mustNotShow: hidden);
    }

    [Fact]
    public void The_entrypoint_passes_shellcheck()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-control-entry-{Guid.NewGuid():N}.sh");
        System.IO.File.WriteAllText(path, "#!/bin/sh\n" + ControlEnvironment.Entrypoint);
        try
        {
            var (code, output) = ExternalTool.Run("shellcheck", ["--severity=style", path]);
            Assert.True(code == 0, output);
        }
        finally { System.IO.File.Delete(path); }
    }

    [Fact]
    public void The_entrypoint_exports_the_token_and_backend_lines_verbatim_and_nothing_else()
    {
        var dir = Directory.CreateTempSubdirectory("fleet-control-entry").FullName;
        try
        {
            System.IO.File.WriteAllText(Path.Combine(dir, "pulumi-access-token"), "pul-abc\n");
            System.IO.File.WriteAllText(Path.Combine(dir, "backend-env"), $"AWS_ACCESS_KEY_ID=AKIA1\nAWS_SECRET_ACCESS_KEY=$(touch {dir}/pwned) `id`\nPATH=/evil\nLD_PRELOAD=/evil.so\nAZURE_STORAGE_KEY=k=v");
            var script = ControlEnvironment.Entrypoint.Replace(ControlEnvironment.SecretsDirectory, dir, StringComparison.Ordinal)
                .Replace("exec dotnet /app/Fleet.Stacks.dll", "exec env", StringComparison.Ordinal);
            var (code, output) = ExternalTool.Run("sh", "-c", script);

            Assert.True(code == 0, output);
            var env = output.Split('\n');
            Assert.Contains("PULUMI_ACCESS_TOKEN=pul-abc", env);
            Assert.Contains("AWS_ACCESS_KEY_ID=AKIA1", env);
            Assert.Contains($"AWS_SECRET_ACCESS_KEY=$(touch {dir}/pwned) `id`", env);
            Assert.Contains("AZURE_STORAGE_KEY=k=v", env);
            Assert.DoesNotContain("PATH=/evil", env);
            Assert.DoesNotContain(env, l => l.StartsWith("LD_PRELOAD", StringComparison.Ordinal));
            Assert.False(System.IO.File.Exists(Path.Combine(dir, "pwned")), "a value was evaluated by the shell");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
