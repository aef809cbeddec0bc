using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>Programs evaluated the way the engine would see them: with their stack config as config nodes.</summary>
public static class LifecyclePrograms
{
    public static EvaluatedProgram Evaluate(StackConfig config, TestMocks? mocks = null)
    {
        var result = SynthesisPipeline.Run(config);
        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
        return ProgramEvaluator.Evaluate(PulumiYamlWriter.Write(result.Program!), mocks, stackConfig: EngineView(config));
    }

    public static EvaluatedProgram Evaluate(TestMocks? mocks, params (string Key, string? Yaml)[] overrides) => Evaluate(TestStacks.StackFile(overrides), mocks);

    /// <summary>As under <c>pulumi up</c>: config from the engine, secrets decrypted (API keys may then be set in a test).</summary>
    public static EvaluatedProgram EvaluateAsEngine(TestMocks? mocks, params (string Key, string? Yaml)[] overrides) =>
        Evaluate(TestStacks.StackFile([.. overrides, ("digitalocean:token", "dop_v1_test")]) with { Origin = ConfigOrigin.Engine }, mocks);

    /// <summary>The stack config as pulumi-yaml receives it: every key, each value as text.</summary>
    /// <summary>Images pinned by digest, as production stacks should be (a bare tag reads back with a digest: one update).</summary>
    public const string PinnedImages = "{agent: \"registry.example.com/fleet/agent:0.1.0@sha256:ab00000000000000000000000000000000000000000000000000000000000000\", gateway: \"registry.example.com/fleet/gateway:0.1.0@sha256:cd00000000000000000000000000000000000000000000000000000000000000\", caddy: \"caddy:2.10.2@sha256:ef00000000000000000000000000000000000000000000000000000000000000\"}";

    /// <remarks>A secret key's node is secret (pulumi-yaml server.go marks ConfigSecretKeys, run.go keeps it secret).</remarks>
    public static Dictionary<string, object?> EngineView(StackConfig config) =>
        config.Values.ToDictionary(kv => kv.Key, kv =>
        {
            var text = kv.Value.Value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : kv.Value.Value?.ToJsonString() ?? "[secret]";
            return kv.Value.IsSecret ? new Secret(text) : (object?)text;
        }, StringComparer.Ordinal);
}
