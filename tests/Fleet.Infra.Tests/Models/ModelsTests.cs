using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Models;

/// <summary><c>fleet:models</c>: several models side by side, each pool serving the one it names.</summary>
public class ModelsTests
{
    private static readonly string Sha = new string('a', 32) + new string('b', 32);

    private static readonly (string, string?)[] TwoModels =
    [
        ("fleet:model", null),
        ("fleet:models", $"{{small: {{url: \"https://example.com/m/small.gguf\", sha256: \"{Sha}\", parallel: 8}}, \"big.v2\": {{url: \"https://example.com/m/big.gguf\", sha256: \"{Sha}\", contextSize: 16384, parallel: 2}}}}"),
        ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, count: 2, model: small}, {name: large, size: s-8vcpu-16gb, nodes: [], min: 0, max: 3, model: big.v2}]"),
    ];

    [Fact]
    public void Each_pool_runs_its_own_model_and_the_gateway_knows_every_model()
    {
        var (_, program) = Fleets.Evaluate([.. TwoModels, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, count: 1, model: small}, {name: large, size: s-8vcpu-16gb, nodes: [b1], min: 0, max: 3, model: big.v2}]")]);

        var cpu = AgentEnv(program["service-agent-cpu"]);
        Assert.Equal("small", cpu["FLEET_MODEL_ID"]);
        Assert.Equal("https://example.com/m/small.gguf", cpu["FLEET_MODEL_URL"]);
        Assert.Equal("8", cpu["FLEET_PARALLEL_SLOTS"]);
        var large = AgentEnv(program["service-agent-large"]);
        Assert.Equal("big.v2", large["FLEET_MODEL_ID"]);
        Assert.Equal("16384", large["FLEET_CONTEXT_SIZE"]);
        Assert.Equal("2", large["FLEET_PARALLEL_SLOTS"]);

        var gateway = GatewayEnv(program["service-gateway"]);
        Assert.Equal("big.v2,small", gateway["FLEET_MODELS"]);
        Assert.Equal("8", gateway["FLEET_MAX_SLOTS_PER_NODE"]);
    }

    [Fact]
    public void One_model_keeps_the_agents_and_the_gateways_settings_as_they_were()
    {
        var (_, program) = Fleets.Evaluate();
        Assert.False(AgentEnv(program["service-agent-cpu"]).ContainsKey("FLEET_MODEL_ID"));
        Assert.False(GatewayEnv(program["service-gateway"]).ContainsKey("FLEET_MODELS"));
    }

    [Theory]
    [InlineData("fleet:models", ConfigCodes.Conflict, "both")]
    [InlineData("fleet:pools[1].model", ConfigCodes.NotAllowed, "biggg")]
    [InlineData("fleet:pools[1].model", ConfigCodes.Missing, "none")]
    [InlineData("fleet:models", ConfigCodes.Conflict, "unused")]
    [InlineData("fleet:pools[0].model", ConfigCodes.Conflict, "single")]
    public void Mistakes_name_the_key_and_the_fix(string path, string code, string mistake)
    {
        (string, string?)[] overrides = mistake switch
        {
            "both" => [.. TwoModels, ("fleet:model", $"{{url: \"https://example.com/m/x.gguf\", sha256: \"{Sha}\"}}")],
            "biggg" => [.. TwoModels, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, count: 2, model: small}, {name: large, size: s-8vcpu-16gb, count: 1, model: smalll}]")],
            "none" => [.. TwoModels, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, count: 2, model: small}, {name: large, size: s-8vcpu-16gb, count: 1}]")],
            "unused" => [.. TwoModels, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, count: 2, model: small}]")],
            _ => [("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, count: 2, model: small}]")],
        };
        var result = SynthesisPipeline.Run(TestStacks.StackFile(overrides));

        Assert.Null(result.Program);
        var d = Assert.Single(result.Diagnostics, d => d.Path == path && d.Code == code);
        Assert.False(string.IsNullOrEmpty(d.Fix));
        if (mistake == "biggg") Assert.Contains("did you mean small", d.Message);
    }

    [Fact]
    public void A_model_id_with_dots_gets_a_config_path_pulumi_can_set()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile([.. TwoModels, ("fleet:models", "{\"big.v2\": {url: \"http://example.com/m/big.gguf\", sha256: \"x\"}}"),
            ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, count: 2, model: big.v2}]")]));

        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:models[\"big.v2\"].url" && d.Fix!.Contains("--path 'fleet:models[\"big.v2\"].url'"));
    }

    private static Dictionary<string, object?> AgentEnv(EvaluatedResource service) =>
        (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)service.Input("taskSpec")!)["containerSpec"]!)["env"]!;

    private static Dictionary<string, object?> GatewayEnv(EvaluatedResource service) => AgentEnv(service);
}
