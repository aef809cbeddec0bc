using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Synthesis;

/// <summary>What the pipeline adds to the program for users who only ever see <c>pulumi preview</c>/<c>up</c>.</summary>
public class SynthesisTests
{
    [Fact]
    public void Advisories_are_a_stack_output()
    {
        // The placeholder checksum is a warning, and no domain is an advisory policy finding: under pulumi, where the
        // compiler's stderr is never shown, both must reach the user as a stack output.
        var result = TestStacks.Synthesize(("fleet:model", "{url: \"https://example.com/m.gguf\", sha256: \"" + new string('0', 64) + "\"}"));
        var output = result.Program!.Outputs.Single(o => o.Key == SynthesisPipeline.AdvisoriesOutput).Value;

        var lines = ((Fleet.Infra.Pulumi.PList)output).Items.Cast<Fleet.Infra.Pulumi.PString>().Select(p => p.Raw).ToArray();
        Assert.Contains(lines, l => l.StartsWith("FLEET013 fleet:model.sha256", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FP", StringComparison.Ordinal));
        Assert.Equal(lines.Length, result.Diagnostics.Count(d => d.Severity == Fleet.Infra.Diagnostics.Severity.Warning) + result.Violations.Count);
    }

    [Fact]
    public void The_gateway_is_told_the_private_network_the_agent_port_and_the_slots_the_stack_gave()
    {
        var (_, program) = Fleets.Evaluate(("fleet:networkCidr", "10.210.0.0/20"));
        var env = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)program["service-gateway"].Input("taskSpec")!)["containerSpec"]!)["env"]!;

        Assert.Equal("10.210.0.0/20", env["FLEET_PRIVATE_CIDR"]);
        Assert.Equal("8080", env["FLEET_AGENT_PORT"]);
        Assert.Equal("4", env["FLEET_MAX_SLOTS_PER_NODE"]);
        Assert.Equal("65536", env["FLEET_MAX_REQUEST_BODY_BYTES"]);
    }
}
