using Fleet.Infra.Model;
using Fleet.Infra.Tests.Evaluation;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>Removing and replacing servers: the exact steps the engine runs, in order (docs/engine-semantics.md, "Delete and replace order").</summary>
public class WorkerLifecycleTests
{
    private static readonly (string, string?) Pinned = ("fleet:images", LifecyclePrograms.PinnedImages);

    private static readonly (string, string?)[] Hetzner =
        [("fleet:cloud", "hetzner"), ("fleet:region", "fsn1"), ("fleet:manager", "{size: cx23}"), ("fleet:pools", "[{name: cpu, size: cpx32, count: 2}]"), Pinned];


    [Fact]
    public void Removing_a_worker_drains_and_forgets_its_node_before_deleting_the_server()
    {
        var steps = EnginePlanner.Up(LifecyclePrograms.Evaluate(null, Pinned, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, nodes: [a, b]}]")),
            LifecyclePrograms.Evaluate(null, Pinned, ("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, nodes: [a]}]"))).Select(s => s.ToString()).ToList();

        Assert.Contains("delete node-membership-cpu-b", steps);
        Assert.True(steps.IndexOf("delete node-membership-cpu-b") < steps.IndexOf("delete worker-cpu-b"), string.Join("\n", steps));
        Assert.True(steps.IndexOf("delete worker-cpu-b") < steps.IndexOf("delete node-credential-cpu-b"), string.Join("\n", steps));
        Assert.DoesNotContain(steps, s => s.EndsWith("-cpu-a", StringComparison.Ordinal) || s.EndsWith(FleetNames.ManagerResource, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("digitalocean")]
    [InlineData("hetzner")]
    public void Replacing_a_worker_forgets_the_old_node_before_the_new_one_joins(string cloud)
    {
        (string, string?)[] overrides = cloud == "hetzner" ? Hetzner : [Pinned];
        var mocks = new TestMocks();
        mocks.Recreated.Add("worker-cpu-1");
        var steps = EnginePlanner.Up(LifecyclePrograms.Evaluate(null, overrides), LifecyclePrograms.Evaluate(mocks, overrides), replace: "worker-cpu-1");

        Assert.Equal(
            ["delete-replaced node-membership-cpu-1", "delete-replaced worker-cpu-1", "create-replacement worker-cpu-1", "create-replacement node-membership-cpu-1"],
            steps.Where(s => s.Name.EndsWith("-cpu-1", StringComparison.Ordinal)).Select(s => s.ToString()));
        Assert.True(!steps.Any(s => s.Name.StartsWith("service-", StringComparison.Ordinal) || s.Name == FleetNames.ManagerResource), string.Join("\n", steps));
    }

    [Theory]
    [InlineData("digitalocean", "swarm")]
    [InlineData("hetzner", "swarm")]
    [InlineData("digitalocean", "k3s")]
    public void Replacing_the_manager_replaces_the_app_layer(string cloud, string orchestrator)
    {
        (string, string?)[] overrides = [.. cloud == "hetzner" ? Hetzner : [Pinned], ("fleet:orchestrator", orchestrator)];
        var mocks = new TestMocks();
        mocks.Recreated.Add(FleetNames.ManagerResource);
        var state = LifecyclePrograms.Evaluate(null, overrides);
        var steps = EnginePlanner.Up(state, LifecyclePrograms.Evaluate(mocks, overrides), replace: FleetNames.ManagerResource);

        var appLayer = state.Resources.Where(r => r.Type.StartsWith("docker:", StringComparison.Ordinal) || r.Type.StartsWith("kubernetes:", StringComparison.Ordinal) || r.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal)).Select(r => r.Name).ToArray();
        Assert.NotEmpty(appLayer);
        foreach (var name in appLayer) Assert.Contains(new EngineStep("create-replacement", name), steps);
        // Workers stay (their user data is ignored); the README says to replace them so they join the new cluster.
        Assert.DoesNotContain(steps, s => s.Name.StartsWith("worker-", StringComparison.Ordinal));
    }
}
