using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;

namespace Fleet.Infra.Tests.Support;

/// <summary>Stack configs for tests: a valid base fleet whose keys a test can replace or remove.</summary>
public static class TestStacks
{
    public static readonly IReadOnlyDictionary<string, string> Base = new Dictionary<string, string>
    {
        ["fleet:cloud"] = "digitalocean",
        ["fleet:region"] = "fra1",
        ["fleet:adminCidrs"] = "[\"203.0.113.7/32\"]",
        ["fleet:networkCidr"] = "10.210.0.0/20",
        ["fleet:manager"] = "{size: s-2vcpu-4gb}",
        ["fleet:pools"] = "[{name: cpu, size: s-4vcpu-8gb, count: 2}]",
        ["fleet:model"] = "{url: \"https://example.com/models/tiny.gguf\", sha256: \"" + new string('a', 32) + new string('b', 32) + "\"}",
        ["fleet:images"] = "{agent: \"registry.example.com/fleet/agent:0.1.0\", gateway: \"registry.example.com/fleet/gateway:0.1.0\"}",
    };

    /// <summary>The base config with <paramref name="overrides"/> applied (a null value removes the key), read as a stack file.</summary>
    public static StackConfig StackFile(params (string Key, string? Yaml)[] overrides) =>
        StackFileConfigSource.Parse(Yaml(overrides), "test", "fleet");

    public static string Yaml(params (string Key, string? Yaml)[] overrides)
    {
        var values = new Dictionary<string, string>(Base);
        foreach (var (key, yaml) in overrides)
        {
            if (yaml is null) values.Remove(key);
            else values[key] = yaml;
        }
        return "config:\n" + string.Concat(values.Select(kv => $"  {kv.Key}: {kv.Value}\n"));
    }

    /// <summary>Reads and synthesizes; fails the test with every diagnostic when the config is rejected.</summary>
    public static SynthesisResult Synthesize(params (string Key, string? Yaml)[] overrides)
    {
        var result = SynthesisPipeline.Run(StackFile(overrides));
        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
        return result;
    }

    /// <summary>The committed stacks: <c>dev</c>, <c>prod</c> at the root, <c>examples/NAME</c> under examples/.</summary>
    public static StackConfig Committed(string stack) => stack.StartsWith("examples/", StringComparison.Ordinal)
        ? StackFileConfigSource.Load(Path.Combine(RepoPaths.Root, "examples"), stack["examples/".Length..], "fleet")
        : StackFileConfigSource.Load(RepoPaths.Root, stack, "fleet");

    /// <summary>Every committed stack, root and examples.</summary>
    public static IEnumerable<string> AllCommitted() =>
        StackFileConfigSource.ListStacks(RepoPaths.Root).Concat(StackFileConfigSource.ListStacks(Path.Combine(RepoPaths.Root, "examples")).Select(s => "examples/" + s));
}
