using System.Text.Json;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Evaluation;

namespace Fleet.Infra.Tests.Support;

/// <summary>Synthesizes a fleet, prints it, and evaluates the printed text with mocks.</summary>
public static class Fleets
{
    public static (string Yaml, EvaluatedProgram Program) Evaluate(params (string Key, string? Yaml)[] overrides)
    {
        var yaml = PulumiYamlWriter.Write(TestStacks.Synthesize(overrides).Program!);
        return (yaml, ProgramEvaluator.Evaluate(yaml, stackConfig: Lifecycle.LifecyclePrograms.EngineView(TestStacks.StackFile(overrides))));
    }

    public static (string Yaml, EvaluatedProgram Program) EvaluateCommitted(string stack)
    {
        var config = TestStacks.Committed(stack);
        var yaml = PulumiYamlWriter.Write(SynthesisPipeline.Run(config).Program!);
        return (yaml, ProgramEvaluator.Evaluate(yaml, stackConfig: Lifecycle.LifecyclePrograms.EngineView(config)));
    }

    /// <summary>The cloud-config document inside a droplet's evaluated user data.</summary>
    public static JsonElement CloudConfig(EvaluatedResource droplet)
    {
        var text = droplet.InputString("userData");
        Assert.StartsWith("#cloud-config\n", text);
        return JsonDocument.Parse(text["#cloud-config\n".Length..]).RootElement;
    }

    /// <summary>The content of a file written by cloud-init.</summary>
    public static string File(JsonElement cloudConfig, string path) =>
        cloudConfig.GetProperty("write_files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == path).GetProperty("content").GetString()!;
}
