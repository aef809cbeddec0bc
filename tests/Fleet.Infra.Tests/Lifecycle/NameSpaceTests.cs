using Fleet.Infra.Model;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;
using Fleet.Infra.Validation;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>pulumi-yaml puts stack config keys into the program's name space (docs/engine-semantics.md, "Name resolution").</summary>
public class NameSpaceTests
{
    public static TheoryData<string> Stacks => new(TestStacks.AllCommitted());

    [Theory]
    [MemberData(nameof(Stacks))]
    public void No_resource_or_variable_is_shadowed_by_stack_config(string stack)
    {
        var config = TestStacks.Committed(stack);
        var program = LifecyclePrograms.Evaluate(config);

        Assert.Empty(program.Unregistered);
        Assert.Contains(program.Resources, r => r.Name == FleetNames.ManagerResource);
    }

    [Fact]
    public void A_resource_named_like_a_config_key_is_never_registered()
    {
        const string yaml = """
            name: fleet
            resources:
              manager:
                type: random:index/randomPassword:RandomPassword
                properties:
                  length: 8
              other:
                type: random:index/randomPassword:RandomPassword
                properties:
                  length: 9
            """;

        var program = ProgramEvaluator.Evaluate(yaml, stackConfig: new Dictionary<string, object?> { ["fleet:manager"] = "{\"size\":\"s-2vcpu-4gb\"}", ["digitalocean:token"] = "x" });

        Assert.Equal(["manager"], program.Unregistered);
        Assert.Equal(["other"], program.Resources.Select(r => r.Name));
    }

    [Fact]
    public void The_program_builder_and_fleet_validate_refuse_a_name_that_is_a_config_key()
    {
        var builder = new ProgramBuilder(["manager"]);
        var error = Assert.Throws<InvalidOperationException>(() => builder.Add("manager", "random:index/randomPassword:RandomPassword", new PMapBuilder { { "length", 8 } }));
        Assert.Contains("config key", error.Message, StringComparison.Ordinal);

        var program = new ProgramBuilder().Build("fleet", "t") with { };
        var clash = new PulumiProgram("fleet", "t", [], [new PulumiResource("pools", "random:index/randomPassword:RandomPassword", new PMapBuilder { { "length", 8 } }, new PMap([]), false)], []) { ConfigNodeNames = ["pools"] };
        Assert.Empty(ReferenceValidator.Validate(program));
        Assert.Contains(ReferenceValidator.Validate(clash), d => d.Message.Contains("fleet:pools", StringComparison.Ordinal));
    }
}
