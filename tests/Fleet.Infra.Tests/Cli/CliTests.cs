using Fleet.Infra.Cli;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Cli;

public class CliTests
{
    private const string EngineConfig = """
    {"fleet:cloud":"digitalocean","fleet:region":"fra1","fleet:adminCidrs":"[\"203.0.113.7/32\"]",
     "fleet:pools":"[{\"name\":\"cpu\",\"size\":\"c-4\",\"count\":1}]",
     "fleet:model":"{\"url\":\"https://example.com/m.gguf\",\"sha256\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
     "fleet:images":"{\"agent\":\"r/agent:1\",\"gateway\":\"r/gateway:1\"}"}
    """;

    [Fact]
    public void Synth_under_the_engine_prints_only_the_program_on_stdout()
    {
        var (code, stdout, stderr) = Synth(new() { ["PULUMI_CONFIG"] = EngineConfig, ["PULUMI_STACK"] = "ci", ["PULUMI_PROJECT"] = "fleet" });

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith("name: \"fleet\"\n", stdout);
        Assert.NotNull(ProgramEvaluator.Evaluate(stdout)["worker-cpu-1"]);
        Assert.Contains("FLEET012", stderr); // no API keys: a warning, on stderr only
        // Under the engine, warnings also reach the user as the advisories output (pulumi-yaml hides a passing compiler's stderr).
        Assert.DoesNotContain("FLEET012", stdout[..stdout.IndexOf(Fleet.Infra.Synthesis.SynthesisPipeline.AdvisoriesOutput + ":", StringComparison.Ordinal)]);
    }

    [Fact]
    public void Synth_without_pulumi_config_prints_the_discovery_program()
    {
        var (code, stdout, stderr) = Synth([]);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("pulumi:providers:digitalocean", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public void Synth_with_invalid_config_prints_nothing_and_exits_with_the_config_code()
    {
        var (code, stdout, stderr) = Synth(new() { ["PULUMI_CONFIG"] = """{"fleet:cloud":"aws"}""", ["PULUMI_STACK"] = "ci" });

        Assert.Equal(ExitCodes.InvalidConfig, code);
        Assert.Empty(stdout);
        Assert.Contains("fleet:cloud", stderr);
        Assert.Contains("fleet:region", stderr);
    }

    [Fact]
    public void Synth_with_unreadable_config_says_why()
    {
        var (code, stdout, stderr) = Synth(new() { ["PULUMI_CONFIG"] = "{broken" });

        Assert.Equal(ExitCodes.ConfigUnreadable, code);
        Assert.Empty(stdout);
        Assert.Contains("PULUMI_CONFIG", stderr);
    }

    [Fact]
    public void Plan_shows_every_server_and_the_monthly_cost_without_credentials()
    {
        var stdout = new StringWriter();
        var code = PlanCommand.Run("dev", RepoPaths.Root, stdout, new StringWriter());
        var text = stdout.ToString();

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("fleet-dev-manager", text);
        Assert.Contains("fleet-dev-cpu-1", text);
        Assert.Contains("fleet-dev-cpu-2", text);
        Assert.Contains("Estimated monthly cost: 120.00 USD", text);
        Assert.Contains("FLEET013", text); // the placeholder checksum is called out
    }

    [Fact]
    public void Plan_of_a_missing_stack_lists_the_stacks_there_are()
    {
        var stderr = new StringWriter();
        var code = PlanCommand.Run("staging", RepoPaths.Root, new StringWriter(), stderr);

        Assert.Equal(ExitCodes.ConfigUnreadable, code);
        Assert.Contains("dev, prod", stderr.ToString());
    }

    [Fact]
    public void Validate_passes_every_committed_stack()
    {
        var stdout = new StringWriter();
        var code = ValidateCommand.Run(null, RepoPaths.Root, stdout, new StringWriter());

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("dev: ok", stdout.ToString());
        Assert.Contains("prod: ok", stdout.ToString());
    }

    private static (int Code, string Stdout, string Stderr) Synth(Dictionary<string, string> env)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = SynthCommand.Run(null, RepoPaths.Root, name => env.GetValueOrDefault(name), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
