using Fleet.Infra.Cli;
using Fleet.Infra.Configuration;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>
/// Stack files broken as people break them: every one is answered with file, line, column and what is wrong, exit 6,
/// never a stack trace; <c>fleet validate</c> and <c>fleet policy</c> report the broken stack and go on with the others.
/// </summary>
public sealed class BrokenStackFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-broken").FullName;

    public BrokenStackFileTests() => File.WriteAllText(Path.Combine(_dir, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");

    public static TheoryData<string, string, string> Broken => new()
    {
        // stack file text, expected "line:column", expected words
        { "config:\n  fleet:cloud: digitalocean\n  fleet:region: [fra1\n", "3:17", "the [ opened here is never closed" },
        { "config:\n  fleet:cloud: digitalocean\n  fleet:model: {url: x\n  fleet:region: fra1\n", "3:16", "the { opened here is never closed" },
        { "config:\n  ? [a, b]\n  : x\n", "2:5", "a key must be text" },
        { "config:\n  fleet:model:\n    {a: 1}: x\n", "3:5", "a key must be text" },
        { "config:\n  fleet:cloud: digitalocean\n  fleet:pools: *nope\n", "3:16", "the alias *nope refers to no anchor" },
        { "config:\n  fleet:cloud: x\n  fleet:cloud: y\n", "3:3", "the key fleet:cloud appears twice" },
        { "config:\n  cloud: x\n  fleet:cloud: y\n", "3:3", "sets fleet:cloud a second time" },
        { "config:\n  fleet:cloud: digitalocean\n\tfleet:region: fra1\n", "3:1", "a tab indents this line" },
        { "config:\n  fleet:region: \"fra1\n", "2:17", "quoted scalar" },
        { "- config\n", "1:1", "a stack file is a map with a config: key, not a list" },
        { "config: [a]\n", "1:9", "config: must be a map" },
        { "config:\n  fleet:pools: &a [*a]\n", "2:20", "the alias *a refers to the value it is part of" },
        { "config:\n  fleet:model: &m {a: *m}\n", "2:23", "the alias *m refers to the value it is part of" },
        { "config:\n  fleet:pools: " + Laughs() + "\n", "2:", "expands to more than 100000 values" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Plan_names_file_line_column_and_what_is_wrong_and_exits_6(string yaml, string at, string what)
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.broken.yaml"), yaml);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = PlanCommand.Run("broken", _dir, stdout, stderr);

        Assert.Equal(ExitCodes.ConfigUnreadable, code);
        Assert.Contains($"{Path.Combine(_dir, "Pulumi.broken.yaml")}:{at}", stderr.ToString());
        Assert.Contains(what, stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public void Validate_reports_the_broken_stack_and_goes_on_with_the_others()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.a-broken.yaml"), "config:\n  ? [a]\n  : x\n");
        File.WriteAllText(Path.Combine(_dir, "Pulumi.b-good.yaml"), TestStacks.Yaml());
        File.WriteAllText(Path.Combine(_dir, "Pulumi.c-broken.yaml"), "config:\n  fleet:region: [fra1\n");
        var stdout = new StringWriter();

        var code = ValidateCommand.Run(null, _dir, stdout, new StringWriter());

        Assert.Equal(ExitCodes.ConfigUnreadable, code);
        var text = stdout.ToString();
        Assert.Contains("a-broken: unreadable: ", text);
        Assert.Contains("b-good: ok", text);
        Assert.Contains("c-broken: unreadable: ", text);
    }

    [Fact]
    public void Policy_reports_the_broken_stack_and_checks_the_others()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.a-broken.yaml"), "config:\n  ? [a]\n  : x\n");
        File.WriteAllText(Path.Combine(_dir, "Pulumi.b-good.yaml"), TestStacks.Yaml());
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = PolicyCommand.Run(null, "text", _dir, stdout, stderr);

        Assert.Equal(ExitCodes.ConfigUnreadable, code);
        Assert.Contains("Pulumi.a-broken.yaml:2:5: a key must be text", stderr.ToString());
        Assert.Contains("b-good: ", stdout.ToString());
    }

    [Fact]
    public void A_broken_project_file_is_unreadable_config_not_a_crash()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.yaml"), "name: [fleet\n");
        File.WriteAllText(Path.Combine(_dir, "Pulumi.dev.yaml"), TestStacks.Yaml());
        var stderr = new StringWriter();

        Assert.Equal(ExitCodes.ConfigUnreadable, ValidateCommand.Run(null, _dir, new StringWriter(), stderr));
        Assert.Contains("Pulumi.yaml:1:7: the [ opened here is never closed", stderr.ToString());
        Assert.Equal(ExitCodes.ConfigUnreadable, PlanCommand.Run("dev", _dir, new StringWriter(), new StringWriter()));
        Assert.Equal(ExitCodes.ConfigUnreadable, PolicyCommand.Run(null, "json", _dir, new StringWriter(), new StringWriter()));
        Assert.Equal(ExitCodes.ConfigUnreadable, SynthCommand.Run("dev", _dir, _ => null, new StringWriter(), new StringWriter()));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("dev/../prod")]
    public void A_stack_name_that_is_a_path_is_refused(string stack)
    {
        var stderr = new StringWriter();

        Assert.Equal(ExitCodes.ConfigUnreadable, PlanCommand.Run(stack, _dir, new StringWriter(), stderr));
        Assert.Contains("is not a stack name", stderr.ToString());
    }

    [Theory]
    [InlineData("{\"fleet:cloud\":\"a\",\"fleet:cloud\":\"b\"}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"cloud\":\"digitalocean\",\"\":1,\":x\":2}")]
    [InlineData("{\"fleet:pools\":\"[{\\\"name\\\":\\\"a\\\",\\\"name\\\":\\\"b\\\"}]\"}")]
    public void Engine_config_with_duplicate_keys_or_the_wrong_shape_never_throws_anything_but_unreadable(string json)
    {
        var stderr = new StringWriter();

        var code = SynthCommand.Run(null, _dir, name => name == "PULUMI_CONFIG" ? json : null, new StringWriter(), stderr);

        Assert.Contains(code, new[] { ExitCodes.ConfigUnreadable, ExitCodes.InvalidConfig });
        Assert.DoesNotContain("   at ", stderr.ToString());
    }

    [Fact]
    public void An_infinite_number_is_a_value_error_not_a_crash()
    {
        var result = Fleet.Infra.Synthesis.SynthesisPipeline.Run(TestStacks.StackFile(("fleet:model", "{url: \"https://example.com/m.gguf\", sha256: \"" + new string('a', 64) + "\", contextSize: 1e999}")));

        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:model.contextSize");
    }

    /// <summary>Ten levels of ten aliases each: 10^10 values if expanded.</summary>
    private static string Laughs() =>
        "[" + string.Join(", ", Enumerable.Range(0, 10).Select(level => level == 0
            ? "&l0 [" + string.Join(", ", Enumerable.Repeat("lol", 10)) + "]"
            : $"&l{level} [" + string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10)) + "]")) + "]";

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
