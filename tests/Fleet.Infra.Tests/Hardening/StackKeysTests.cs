using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>Keys that would be silently ignored: typos of a namespace, unknown namespaces, settings outside <c>config:</c>.</summary>
public class StackKeysTests
{
    [Fact]
    public void A_typo_of_the_project_namespace_is_an_error_suggesting_it()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleeet:cloud", "hetzner")));

        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleeet:cloud");
        Assert.Equal((Severity.Error, ConfigCodes.UnknownKey), (d.Severity, d.Code));
        Assert.Contains("did you mean fleet:cloud?", d.Message);
        Assert.Equal("pulumi config rm fleeet:cloud && pulumi config set fleet:cloud <value>", d.Fix);
    }

    [Fact]
    public void A_typo_of_a_provider_namespace_is_an_error_suggesting_it()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("digitalocaen:token", "{secure: v1:abc}")));

        Assert.Contains("did you mean digitalocean:token?", Assert.Single(result.Diagnostics, d => d.Path == "digitalocaen:token" && d.Severity == Severity.Error).Message);
    }

    [Theory]
    [InlineData("digitalocean:spacesEndpoint")]
    [InlineData("hcloud:pollInterval")]
    [InlineData("pulumi:tags")]
    public void Unknown_keys_of_known_provider_namespaces_pass(string key)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile((key, "x")));

        Assert.NotNull(result.Program);
        Assert.DoesNotContain(result.Diagnostics, d => d.Path == key);
    }

    [Fact]
    public void A_truly_unknown_namespace_is_a_warning()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("aws:region", "eu-central-1")));

        Assert.NotNull(result.Program);
        var d = Assert.Single(result.Diagnostics, d => d.Path == "aws:region");
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal("pulumi config rm aws:region", d.Fix);
    }

    [Fact]
    public void A_fleet_key_at_the_top_level_of_the_stack_file_is_an_error()
    {
        var raw = StackFileConfigSource.Parse(TestStacks.Yaml() + "fleet:orchestrator: k3s\n", "test", "fleet");

        var result = SynthesisPipeline.Run(raw);

        Assert.Null(result.Program);
        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:orchestrator");
        Assert.Contains("outside config:", d.Message);
        Assert.Contains("pulumi config set fleet:orchestrator <value>", d.Fix);
    }

    [Fact]
    public void A_misspelt_config_section_is_an_error_naming_it()
    {
        var raw = StackFileConfigSource.Parse(TestStacks.Yaml().Replace("config:", "confg:", StringComparison.Ordinal), "test", "fleet");

        var d = Assert.Single(SynthesisPipeline.Run(raw).Diagnostics, d => d.Path == "confg");
        Assert.Contains("did you mean config:?", d.Message);
    }

    [Theory]
    [InlineData("fleet:regoin", "fleet:region")]
    [InlineData("fleet:adminCidr", "fleet:adminCidrs")]
    [InlineData("fleet:acmeMail", "fleet:acmeEmail")]
    public void An_unknown_fleet_key_suggests_the_nearest(string key, string near) =>
        Assert.Contains($"did you mean {near}?", Assert.Single(SynthesisPipeline.Run(TestStacks.StackFile((key, "x"))).Diagnostics, d => d.Path == key).Message);

    [Fact]
    public void An_encrypted_setting_fleet_must_read_is_reported_once_as_encrypted()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:region", "{secure: v1:abc}")));

        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:region");
        Assert.Equal(ConfigCodes.Unsupported, d.Code);
        Assert.Contains("stored encrypted", d.Message);
        Assert.Equal("pulumi config set fleet:region <value>", d.Fix);
    }
}
