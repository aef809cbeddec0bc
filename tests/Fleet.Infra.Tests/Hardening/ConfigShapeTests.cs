using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>Free-text settings that reach other languages (image references, OS images) are held to their grammar.</summary>
public class ConfigShapeTests
{
    [Theory]
    [InlineData("r/agent:1;reboot")]
    [InlineData("r/agent:1\nx")]
    [InlineData("r/agent:${manager.ipv4Address}")]
    [InlineData("r/agent:1 --privileged")]
    [InlineData("r//agent:1")]
    [InlineData("r/agent:-1")]
    [InlineData("r/agent@sha256:abc")]
    public void A_malformed_image_reference_is_refused(string image)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:images", $"{{agent: {System.Text.Json.JsonSerializer.Serialize(image)}, gateway: \"r/g:1\"}}")));

        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:images.agent");
        Assert.Equal(ConfigCodes.BadFormat, d.Code);
        Assert.DoesNotContain("\n", d.Message);
        Assert.StartsWith("pulumi config set --path 'fleet:images.agent' ", d.Fix);
    }

    [Theory]
    [InlineData("ghcr.io/org/fleet-agent:0.1.0")]
    [InlineData("localhost:5000/a__b/c-d:v1.2_3")]
    [InlineData("registry.example.com/agent:1@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Real_image_references_are_accepted(string image) =>
        Assert.NotNull(SynthesisPipeline.Run(TestStacks.StackFile(("fleet:images", $"{{agent: \"{image}\", gateway: \"r/g:1\"}}"))).Program);

    [Theory]
    [InlineData("ubuntu-24-04-x64", true)]
    [InlineData("123456789", true)]
    [InlineData("ubuntu 24.04", false)]
    [InlineData("-rf", false)]
    [InlineData("${tls.privateKeyPem}", false)]
    public void The_os_image_is_a_slug_name_or_id(string image, bool ok)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:osImage", System.Text.Json.JsonSerializer.Serialize(image))));

        Assert.Equal(ok, result.Program is not null);
        if (!ok) Assert.Equal("pulumi config set fleet:osImage ubuntu-24-04-x64", Assert.Single(result.Diagnostics, d => d.Path == "fleet:osImage").Fix);
    }

    [Fact]
    public void Deep_nesting_is_refused_before_it_can_overflow_the_stack()
    {
        var yaml = "config:\n  fleet:model: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var e = Assert.Throws<ConfigSourceException>(() => StackFileConfigSource.Parse(yaml, "t", "fleet", "Pulumi.t.yaml"));

        Assert.StartsWith("Pulumi.t.yaml:2:", e.Message);
        Assert.Contains("nested more than 32 levels", e.Message);
    }
}
