using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Validation;

/// <summary>Every rendered cloud-init document passes the real <c>cloud-init schema</c>; every script passes <c>shellcheck</c>.</summary>
public class CloudInitSchemaTests
{
    public static TheoryData<string> Stacks => new(TestStacks.AllCommitted());

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_user_data_document_passes_cloud_init_schema(string stack)
    {
        var (_, program) = Fleets.EvaluateCommitted(stack);
        var droplets = program.OfType(":Droplet").Concat(program.OfType("hcloud:index/server:Server")).ToArray();
        Assert.NotEmpty(droplets);
        foreach (var droplet in droplets)
        {
            var (code, output) = CloudInitSchema(droplet.InputString("userData"));
            Assert.True(code == 0, $"{stack}/{droplet.Name}: {output}");
            Assert.Contains("Valid cloud-config", output);
        }
    }

    [Fact]
    public void The_schema_check_does_reject_an_invalid_document()
    {
        var (code, output) = CloudInitSchema("#cloud-config\n{\"write_files\": [{\"path\": \"/x\", \"permissions\": [1]}], \"runcmd\": \"not a list\"}");

        Assert.True(code != 0, output);
    }

    [Fact]
    public void Every_bootstrap_script_passes_shellcheck()
    {
        var scripts = Directory.GetFiles(Path.Combine(RepoPaths.Infra, "Scripts"), "*.sh").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(scripts);
        var (code, output) = ExternalTool.Run("shellcheck", ["-x", "--severity=style", .. scripts]);

        Assert.True(code == 0, output);
    }

    [Fact]
    public void Scripts_reach_the_node_byte_for_byte_despite_pulumi_interpolation()
    {
        var (_, program) = Fleets.Evaluate();
        var init = Fleets.CloudConfig(program["worker-cpu-1"]);

        foreach (var name in new[] { "fleet-common.sh", "fleet-swarm-worker.sh" })
            Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Infra, "Scripts", name)), Fleets.File(init, $"/usr/local/lib/fleet/{name}"));
    }

    [Fact]
    public void A_literal_dollar_brace_in_user_data_is_escaped_not_interpolated()
    {
        var lit = Fleet.Infra.Pulumi.Px.Lit("echo ${HOME} $$ $x");
        Assert.Equal("echo $${HOME} $$$$ $$x", lit.Raw);
        var yaml = $"name: t\nresources:\n  a:\n    type: \"random:index/randomPassword:RandomPassword\"\n    properties:\n      keepers:\n        v: \"{lit.Raw}\"\n";

        var program = ProgramEvaluator.Evaluate(yaml);

        Assert.Equal("echo ${HOME} $$ $x", ((Dictionary<string, object?>)program["a"].Input("keepers")!)["v"]);
    }

    private static (int, string) CloudInitSchema(string userData)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-cloud-init-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, userData);
        try { return ExternalTool.Run("cloud-init", "schema", "--config-file", path); }
        finally { File.Delete(path); }
    }
}
