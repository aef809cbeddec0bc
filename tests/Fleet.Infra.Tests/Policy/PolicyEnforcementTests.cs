using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Infra.Cli;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;
using Fleet.Policy;
using Fleet.Policy.Model;

namespace Fleet.Infra.Tests.Policy;

public class PolicyEnforcementTests
{
    public static TheoryData<string> Stacks => new(TestStacks.AllCommitted());

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_committed_stack_passes_the_mandatory_rules(string stack)
    {
        var result = SynthesisPipeline.Run(TestStacks.Committed(stack));

        Assert.NotNull(result.Program);
        Assert.DoesNotContain(result.Violations, v => v.Level == EnforcementLevel.Mandatory);
    }

    [Fact]
    public void Synthesized_programs_pass_every_rule_when_enforced()
    {
        var result = TestStacks.Synthesize(("fleet:domain", "example.org"), ("fleet:acmeEmail", "ops@example.org"),
            ("fleet:pools", "[{name: cpu, size: c-4, nodes: [a1, a2], max: 4}, {name: big, size: c-8, count: 2}]"));

        Assert.Empty(result.Violations);
    }

    [Fact]
    public void A_deliberately_bad_config_fails_synthesis_listing_every_violation()
    {
        var config = Fleet.Infra.Configuration.EngineConfigSource.Parse("""
            {"fleet:cloud":"digitalocean","fleet:region":"fra1","fleet:adminCidrs":"[\"203.0.113.7/32\"]",
             "fleet:pools":"[{\"name\":\"cpu\",\"size\":\"c-8\",\"count\":3}]",
             "fleet:model":"{\"url\":\"https://example.com/m.gguf\",\"sha256\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
             "fleet:images":"{\"agent\":\"r/agent:1\",\"gateway\":\"r/gateway:1\"}",
             "fleet:policy":"{\"enforcement\":\"mandatory\",\"allowedRegions\":[\"ams3\"],\"allowedSizes\":[\"c-8\"],\"maxNodes\":2,\"maxMonthlyCost\":100}"}
            """, "bad", "fleet");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = RunWith(config, stdout, stderr);

        Assert.Equal(ExitCodes.PolicyViolation, code);
        Assert.Empty(stdout.ToString());
        var text = stderr.ToString();
        Assert.Equal(4, Regex.Matches(text, "region \"fra1\" is not allowed").Count); // all 4 servers
        Assert.Contains("size \"s-2vcpu-4gb\" is not allowed", text);                 // the manager's default size
        Assert.Contains("4 servers exceed fleet:policy.maxNodes (2)", text);
        Assert.Contains("over the ceiling of 100.00", text);
    }

    [Fact]
    public void Fleet_policy_json_lists_findings_per_stack()
    {
        var stdout = new StringWriter();
        var code = PolicyCommand.Run("dev", "json", RepoPaths.Root, stdout, new StringWriter());

        Assert.Equal(ExitCodes.Ok, code);
        var doc = JsonDocument.Parse(stdout.ToString()).RootElement;
        Assert.Equal(0, doc.GetProperty("mandatory").GetInt32());
        var stack = Assert.Single(doc.GetProperty("stacks").EnumerateArray());
        Assert.Equal(("dev", "checked"), (stack.GetProperty("stack").GetString(), stack.GetProperty("status").GetString()));
        Assert.Equal(0, stack.GetProperty("mandatory").GetInt32());
        Assert.Equal("FP013", stack.GetProperty("violations")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public void The_readme_rule_table_matches_the_policy_pack()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var rows = Regex.Matches(readme, @"^\| (FP\d{3}) \| `([a-z0-9-]+)` \| (mandatory|advisory) \| (.+) \|$", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value)).ToArray();
        var rules = PolicyPack.Rules.Select(r => (r.Id, r.Name, r.DefaultLevel == EnforcementLevel.Mandatory ? "mandatory" : "advisory", r.Description)).ToArray();

        Assert.Equal(rules, rows);
    }

    private static int RunWith(Fleet.Infra.Configuration.StackConfig config, StringWriter stdout, StringWriter stderr)
    {
        var json = "{" + string.Join(",", config.Values.Select(kv => $"{JsonSerializer.Serialize(kv.Key)}:{JsonSerializer.Serialize(kv.Value.Value is System.Text.Json.Nodes.JsonValue v ? v.ToString() : kv.Value.Value!.ToJsonString())}")) + "}";
        return SynthCommand.Run(null, RepoPaths.Root, name => name switch { "PULUMI_CONFIG" => json, "PULUMI_STACK" => "bad", _ => null }, stdout, stderr);
    }
}
