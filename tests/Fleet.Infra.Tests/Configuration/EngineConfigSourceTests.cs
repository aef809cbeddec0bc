using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;

namespace Fleet.Infra.Tests.Configuration;

public class EngineConfigSourceTests
{
    // PULUMI_CONFIG as the YAML host passes it: every value a string, objects and lists JSON-encoded inside.
    private const string PulumiConfig = """
    {
      "fleet:cloud": "digitalocean",
      "fleet:region": "fra1",
      "fleet:adminCidrs": "[\"203.0.113.7/32\"]",
      "fleet:pools": "[{\"name\":\"cpu\",\"size\":\"s-4vcpu-8gb\",\"nodes\":[\"a1\",\"a2\"],\"max\":4}]",
      "fleet:model": "{\"url\":\"https://example.com/m.gguf\",\"sha256\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
      "fleet:images": "{\"agent\":\"r/agent:1\",\"gateway\":\"r/gateway:1\"}",
      "fleet:apiKeys": "[{\"name\":\"ci\",\"key\":\"0123456789abcdef0123456789abcdef\",\"requestsPerMinute\":10}]",
      "digitalocean:token": "dop_v1_secret"
    }
    """;

    [Fact]
    public void Reads_json_encoded_values_and_hashes_api_keys()
    {
        var result = SynthesisPipeline.Run(EngineConfigSource.Parse(PulumiConfig, "dev", "fleet"));

        Assert.NotNull(result.Config);
        Assert.Equal(["a1", "a2"], result.Config.Pools[0].NodeIds);
        var key = Assert.Single(result.Config.ApiKeys.Keys);
        Assert.Equal(("ci", 10), (key.Name, key.RequestsPerMinute));
        Assert.Equal(ApiKeysReader.Sha256Hex("0123456789abcdef0123456789abcdef"), key.Sha256);
    }

    [Fact]
    public void The_program_never_contains_a_decrypted_secret()
    {
        var result = SynthesisPipeline.Run(EngineConfigSource.Parse(PulumiConfig, "dev", "fleet"));
        var text = Pulumi.PulumiYamlWriter.Write(result.Program!);

        Assert.DoesNotContain("0123456789abcdef0123456789abcdef", text);
        Assert.DoesNotContain("dop_v1_secret", text);
    }

    [Fact]
    public void Broken_json_is_a_clear_error()
    {
        var e = Assert.Throws<ConfigSourceException>(() => EngineConfigSource.Parse("{not json", "dev", "fleet"));
        Assert.Contains("PULUMI_CONFIG", e.Message);
    }
}
