using System.Text.RegularExpressions;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Evaluation;

/// <summary>The settings the program hands the agent and the gateway are ones those programs document and read.</summary>
public class ContractTests
{
    [Theory]
    [InlineData("service-agent-cpu", "agent")]
    [InlineData("service-gateway", "gateway")]
    public void Every_environment_variable_a_service_gets_is_documented_by_its_program(string service, string folder)
    {
        var (_, program) = Fleets.Evaluate();
        var task = (Dictionary<string, object?>)program[service].Input("taskSpec")!;
        var env = ((Dictionary<string, object?>)((Dictionary<string, object?>)task["containerSpec"]!)["env"]!).Keys.Where(k => k.StartsWith("FLEET_", StringComparison.Ordinal));
        var documented = Regex.Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, folder, "README.md")), @"^\| `(FLEET_[A-Z0-9_]+)`", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(documented);
        Assert.Equal([], env.Where(e => !documented.Contains(e)).ToArray());
    }
}
