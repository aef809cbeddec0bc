using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Synthesis;

/// <summary>
/// Golden files of the emitted programs, reviewed like code. To accept a deliberate change run the tests with
/// FLEET_UPDATE_SNAPSHOTS=1 and review the diff of tests/Fleet.Infra.Tests/Snapshots/.
/// </summary>
public class SnapshotTests
{
    public static TheoryData<string> Stacks => new(TestStacks.AllCommitted());

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Emitted_program_matches_the_golden_file(string stack)
    {
        var text = PulumiYamlWriter.Write(SynthesisPipeline.Run(TestStacks.Committed(stack)).Program!);
        Verify($"SnapshotTests.{stack.Replace("examples/", "example-", StringComparison.Ordinal)}.verified.yaml", text);
    }

    [Fact]
    public void Discovery_program_matches_the_golden_file() =>
        Verify("SnapshotTests.discovery.verified.yaml", PulumiYamlWriter.Write(DiscoveryProgram.Build("fleet")));

    [Fact]
    public void Every_golden_program_passes_yamllint()
    {
        var files = Directory.GetFiles(RepoPaths.Snapshots, "*.verified.yaml").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        // Relaxed rules minus line length: user data and PEM references make long lines by design.
        var (code, output) = ExternalTool.Run("yamllint", ["-s", "-d", "{extends: relaxed, rules: {line-length: disable}}", .. files]);

        Assert.True(code == 0, output);
    }

    [Fact]
    public void Output_is_byte_identical_across_runs()
    {
        var a = PulumiYamlWriter.Write(SynthesisPipeline.Run(TestStacks.Committed("prod")).Program!);
        var b = PulumiYamlWriter.Write(SynthesisPipeline.Run(TestStacks.Committed("prod")).Program!);

        Assert.Equal(a, b);
        Assert.DoesNotContain("\r", a);
    }

    private static void Verify(string name, string actual)
    {
        var path = Path.Combine(RepoPaths.Snapshots, name);
        if (Environment.GetEnvironmentVariable("FLEET_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"no golden file {path}: run with FLEET_UPDATE_SNAPSHOTS=1 and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
