using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>
/// From the state a first up leaves (inputs as each provider reads them back), the same program must plan nothing;
/// an image, model or key change must touch only the app-layer objects it concerns.
/// </summary>
public class SecondUpTests
{
    public static TheoryData<string> Stacks => new(TestStacks.AllCommitted());

    [Theory]
    [MemberData(nameof(Stacks))]
    public void A_second_up_plans_no_replace_and_no_update(string stack)
    {
        var config = TestStacks.Committed(stack);
        var steps = EnginePlanner.Up(LifecyclePrograms.Evaluate(config), LifecyclePrograms.Evaluate(config));

        // The only change a second up may show: a service whose image is a bare tag, once, because Docker pinned it to the
        // digest it resolved at create (docs/engine-semantics.md; fleet warns about such images).
        var first = LifecyclePrograms.Evaluate(config);
        var again = LifecyclePrograms.Evaluate(config);
        foreach (var step in steps)
        {
            Assert.Equal("update", step.Op);
            Assert.Equal(["taskSpec.containerSpec.image"], EnginePlanner.ChangedPaths(first[step.Name], again[step.Name]));
        }
    }

    [Fact]
    public void A_second_up_with_digest_pinned_images_plans_nothing()
    {
        var steps = EnginePlanner.Up(LifecyclePrograms.Evaluate(null, ("fleet:images", LifecyclePrograms.PinnedImages)), LifecyclePrograms.Evaluate(null, ("fleet:images", LifecyclePrograms.PinnedImages)));

        Assert.Empty(steps);
    }

    [Fact]
    public void Read_back_forms_that_the_program_once_got_wrong_are_seen_as_changes()
    {
        // Negative control: the planner does see a read-back difference (docker's shortDur) when the program writes "60s".
        var state = LifecyclePrograms.Evaluate(null, ("fleet:images", LifecyclePrograms.PinnedImages));
        var agent = state["service-agent-cpu"];
        var task = (Dictionary<string, object?>)agent.Inputs["taskSpec"]!;
        var container = (Dictionary<string, object?>)ProviderReadBack.Copy(task["containerSpec"])!;
        container["stopGracePeriod"] = "60s";
        var wrong = agent with { Inputs = new Dictionary<string, object?>(agent.Inputs) { ["taskSpec"] = new Dictionary<string, object?>(task) { ["containerSpec"] = container } } };

        Assert.Equal(["taskSpec.containerSpec.stopGracePeriod"], EnginePlanner.ChangedPaths(wrong, wrong));
    }

    [Theory]
    [InlineData("swarm", "update gateway-nodes-file")]
    [InlineData("k3s", "update gateway-files")]
    public void Scaling_changes_the_files_the_gateway_watches_and_never_the_gateway(string orchestrator, string gatewayStep)
    {
        (string, string?)[] stack = [("fleet:images", LifecyclePrograms.PinnedImages), ("fleet:orchestrator", orchestrator)];
        var steps = EnginePlanner.Up(LifecyclePrograms.Evaluate(null, [.. stack, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, nodes: [a]}]")]),
            LifecyclePrograms.Evaluate(null, [.. stack, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, nodes: [a, b]}]")])).Select(s => s.ToString()).ToArray();

        string[] expected = ["create node-credential-cpu-b", "create worker-cpu-b", "create node-membership-cpu-b", gatewayStep];
        Assert.Equal(expected.Order(StringComparer.Ordinal), steps.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("fleet:images", "agent 0.2.0", "update service-agent-cpu")]
    [InlineData("fleet:model", "{url: \"https://example.com/models/other.gguf\", sha256: \"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\"}", "update service-agent-cpu")]
    [InlineData("fleet:apiKeys", "[{name: ci, key: \"0123456789abcdef0123456789abcdef-rotated\"}]", "update gateway-api-keys-file")]
    public void Changing_an_image_the_model_or_an_api_key_touches_only_the_app_layer(string key, string value, string expected)
    {
        (string, string?)[] before = [("fleet:images", LifecyclePrograms.PinnedImages), ("fleet:apiKeys", "[{name: ci, key: \"0123456789abcdef0123456789abcdef\"}]")];
        if (key == "fleet:images") value = LifecyclePrograms.PinnedImages.Replace("agent:0.1.0", "agent:0.2.0", StringComparison.Ordinal);
        var steps = EnginePlanner.Up(LifecyclePrograms.EvaluateAsEngine(null, before), LifecyclePrograms.EvaluateAsEngine(null, [.. before.Where(b => b.Item1 != key), (key, value)]));

        Assert.Equal(expected.Split('|'), steps.Select(s => s.ToString()));
    }
}
