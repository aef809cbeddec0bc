using Fleet.Agent.Configuration;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Configuration;

public sealed class AgentOptionsReaderTests
{
    [Fact]
    public void Accepts_a_model_path_and_applies_defaults()
    {
        var options = Read(("FLEET_MODEL_PATH", TestModels.Scripted), ("FLEET_NODE_NAME", "gpu-1"), ("FLEET_POOL", "a100"));
        Assert.Equal(TestModels.Scripted, options.ModelPath);
        Assert.Equal("scripted", options.ModelId);
        Assert.Equal(4096, options.ContextSize);
        Assert.Equal(4, options.ParallelSlots);
        Assert.Equal(16, options.QueueLimit);
        Assert.Equal("gpu-1", options.NodeName);
        Assert.Equal("a100", options.Pool);
        Assert.Null(options.GatewayUrl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HeartbeatInterval);
    }

    [Theory]
    [InlineData("FLEET_MODEL_PATH", null, "no model configured", "FLEET_MODEL_URL")]
    [InlineData("FLEET_MODEL_PATH", "/nope/model.gguf", "file does not exist", "readable .gguf")]
    [InlineData("FLEET_PARALLEL_SLOTS", "zero", "whole number from 1 to 256", "FLEET_PARALLEL_SLOTS=4")]
    [InlineData("FLEET_CONTEXT_SIZE", "100", "whole number from 256", "FLEET_CONTEXT_SIZE=4096")]
    [InlineData("FLEET_QUEUE_LIMIT", "-1", "whole number from 0", "FLEET_QUEUE_LIMIT=16")]
    [InlineData("FLEET_GPU_LAYERS", "all", "whole number from 0", "FLEET_GPU_LAYERS=999")]
    [InlineData("FLEET_GATEWAY_URL", "gateway:8080", "not an absolute http(s) URL", "https://")]
    [InlineData("FLEET_MODEL_SHA256", "abc", "not 64 hex characters", "sha256sum")]
    [InlineData("FLEET_AVX", "sse", "unknown AVX level", "avx512")]
    public void Rejects_bad_values_naming_key_value_and_fix(string key, string? value, string problem, string fix)
    {
        var env = new Dictionary<string, string?> { ["FLEET_MODEL_PATH"] = TestModels.Scripted, [key] = value };
        var e = Assert.Throws<AgentConfigurationException>(() => AgentOptionsReader.Read(k => env.GetValueOrDefault(k)));
        var d = Assert.Single(e.Diagnostics, d => d.Key == key);
        Assert.Equal(value, d.Value);
        Assert.Contains(problem, d.Problem);
        Assert.Contains(fix, d.Fix);
        Assert.Contains(key, e.Message);
    }

    [Theory]
    [InlineData("http://gw:8080", "http://gw:8080/v1/agents/heartbeat")]
    [InlineData("https://gw.example/fleet", "https://gw.example/fleet/v1/agents/heartbeat")]
    [InlineData("https://gw.example/fleet/", "https://gw.example/fleet/v1/agents/heartbeat")]
    public void Gateway_url_keeps_its_path_prefix(string configured, string heartbeat)
    {
        var token = TestModels.NewPath("token");
        File.WriteAllText(token, "t");
        var options = Read(("FLEET_MODEL_PATH", TestModels.Scripted), ("FLEET_GATEWAY_URL", configured), ("FLEET_NODE_CREDENTIAL_FILE", token));
        Assert.Equal(heartbeat, new Uri(options.GatewayUrl!, "v1/agents/heartbeat").ToString());
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var e = Assert.Throws<AgentConfigurationException>(() => AgentOptionsReader.Read(k => k switch
        {
            "FLEET_MODEL_URL" => "https://models.example/m.gguf",
            "FLEET_GATEWAY_URL" => "http://gw:8080",
            "FLEET_THREADS" => "lots",
            _ => null,
        }));
        Assert.Equal(["FLEET_MODEL_SHA256", "FLEET_NODE_CREDENTIAL_FILE", "FLEET_THREADS"], e.Diagnostics.Select(d => d.Key).Order());
    }

    [Fact]
    public void Credential_is_read_from_its_file_and_never_printed()
    {
        var file = TestModels.NewPath("token");
        File.WriteAllText(file, "s3cret-token\n");
        var options = Read(("FLEET_MODEL_PATH", TestModels.Scripted), ("FLEET_NODE_CREDENTIAL_FILE", file), ("FLEET_GATEWAY_URL", "http://gw:1"));
        var credential = AgentOptionsReader.ReadCredential(options);
        Assert.Equal("s3cret-token", credential.Token);
        Assert.DoesNotContain("s3cret", credential.ToString());
        Assert.DoesNotContain("s3cret", options.ToString());
    }

    [Fact]
    public void An_empty_credential_file_is_refused()
    {
        var file = TestModels.NewPath("empty-token");
        File.WriteAllText(file, "\n");
        var options = Read(("FLEET_MODEL_PATH", TestModels.Scripted), ("FLEET_NODE_CREDENTIAL_FILE", file), ("FLEET_GATEWAY_URL", "http://gw:1"));
        var e = Assert.Throws<AgentConfigurationException>(() => AgentOptionsReader.ReadCredential(options));
        Assert.Equal("the file is empty", Assert.Single(e.Diagnostics).Problem);
    }

    private static AgentOptions Read(params (string Key, string Value)[] vars)
    {
        var env = vars.ToDictionary(v => v.Key, v => v.Value);
        return AgentOptionsReader.Read(k => env.GetValueOrDefault(k));
    }
}
