using System.Text.Json;
using Fleet.Stacks.Pulumi;
using Fleet.Stacks.Scaling;

namespace Fleet.Stacks.Tests;

/// <summary>What a node-list change may plan, step by step, and the CLI's preview digest read as the CLI writes it.</summary>
public sealed class PlanGuardTests
{
    private static readonly PlanGuard Guard = new(["burst"], ["cpu", "burst", "burst-x"]);

    private static PreviewStep Step(string op, string name, string type = "digitalocean:index/droplet:Droplet") =>
        new(op, $"urn:pulumi:prod::fleet::{type}::{name}", null, null, null);

    [Theory]
    // the pool's servers, credentials and removal steps: added and removed
    [InlineData("create", "worker-burst-a3", true)]
    [InlineData("delete", "worker-burst-a1", true)]
    [InlineData("create", "node-credential-burst-a3", true)]
    [InlineData("delete", "node-membership-burst-a1", true)]
    // ... never changed in place or replaced
    [InlineData("update", "worker-burst-a1", false)]
    [InlineData("replace", "worker-burst-a1", false)]
    [InlineData("delete-replaced", "worker-burst-a1", false)]
    // workers of pools this run does not change (a pool whose name starts like a touched one included)
    [InlineData("delete", "worker-cpu-1", false)]
    [InlineData("create", "worker-burst-x-1", false)]
    [InlineData("delete", "node-membership-cpu-2", false)]
    // what lists the nodes: updated, not replaced or deleted
    [InlineData("update", "gateway-nodes-file", true)]
    [InlineData("update", "gateway-files", true)]
    [InlineData("replace", "gateway-nodes-file", false)]
    [InlineData("delete", "gateway-files", false)]
    // everything else
    [InlineData("replace", "manager-server", false)]
    [InlineData("create-replacement", "manager-server", false)]
    [InlineData("delete", "manager-ip", false)]
    [InlineData("replace", "swarm-worker-token", false)]
    [InlineData("replace", "k3s-kubeconfig", false)]
    [InlineData("delete", "service-gateway", false)]
    [InlineData("update", "service-gateway", false)]
    [InlineData("update", "firewall-private-nodes", false)]
    [InlineData("create", "vpc", false)]
    [InlineData("import", "worker-burst-a3", false)]
    [InlineData("some-future-op", "worker-burst-a3", false)]
    // nothing changes
    [InlineData("same", "manager-server", true)]
    [InlineData("read", "manager-server", true)]
    public void Classifies_by_name_and_op(string op, string name, bool allowed) => Assert.Equal(allowed, Guard.Allowed(Step(op, name)));

    [Fact]
    public void The_root_stack_may_update_its_outputs_only()
    {
        Assert.True(Guard.Allowed(Step("update", "fleet-prod", "pulumi:pulumi:Stack")));
        Assert.True(Guard.Allowed(Step("same", "fleet-prod", "pulumi:pulumi:Stack")));
        Assert.False(Guard.Allowed(Step("delete", "fleet-prod", "pulumi:pulumi:Stack")));
    }

    [Fact]
    public void Providers_are_refused_by_their_name_too()
    {
        Assert.False(Guard.Allowed(Step("replace", "docker", "pulumi:providers:docker")));
        Assert.False(Guard.Allowed(Step("update", "kubernetes", "pulumi:providers:kubernetes")));
    }

    [Fact]
    public void The_name_is_everything_after_the_third_separator()
    {
        var step = new PreviewStep("create", "urn:pulumi:prod::fleet::parent:index:Thing$digitalocean:index/droplet:Droplet::worker-burst-a3", null, null, null);
        Assert.Equal("worker-burst-a3", step.Name);
        Assert.Equal("parent:index:Thing$digitalocean:index/droplet:Droplet", step.Type);
        Assert.Equal("a::b", new PreviewStep("create", "urn:pulumi:prod::fleet::t:index:T::a::b", null, null, null).Name);
    }

    /// <summary>
    /// A digest as the CLI prints it (pulumi/pulumi v3.259.0: display.PreviewDigest in pkg/display/json.go, written by
    /// ShowPreviewDigest in pkg/backend/display/json.go with MarshalIndent and four spaces; the step fields and
    /// apitype.ResourceV3 states as named there).
    /// </summary>
    private const string Digest = """
        {
            "config": {
                "fleet:cloud": "digitalocean"
            },
            "steps": [
                {
                    "op": "update",
                    "urn": "urn:pulumi:prod::fleet::pulumi:pulumi:Stack::fleet-prod",
                    "oldState": {"urn": "urn:pulumi:prod::fleet::pulumi:pulumi:Stack::fleet-prod", "custom": false, "type": "pulumi:pulumi:Stack", "outputs": {"pools": {}}, "created": "2026-11-01T10:00:00Z", "modified": "2026-11-01T10:00:00Z"},
                    "newState": {"urn": "urn:pulumi:prod::fleet::pulumi:pulumi:Stack::fleet-prod", "custom": false, "type": "pulumi:pulumi:Stack"},
                    "detailedDiff": null
                },
                {
                    "op": "create",
                    "urn": "urn:pulumi:prod::fleet::digitalocean:index/droplet:Droplet::worker-burst-a3",
                    "provider": "urn:pulumi:prod::fleet::pulumi:providers:digitalocean::default_4_76_0::04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                    "newState": {"urn": "urn:pulumi:prod::fleet::digitalocean:index/droplet:Droplet::worker-burst-a3", "custom": true, "type": "digitalocean:index/droplet:Droplet", "inputs": {"size": "c-4"}, "parent": "urn:pulumi:prod::fleet::pulumi:pulumi:Stack::fleet-prod"},
                    "detailedDiff": null
                },
                {
                    "op": "replace",
                    "urn": "urn:pulumi:prod::fleet::digitalocean:index/droplet:Droplet::manager-server",
                    "provider": "urn:pulumi:prod::fleet::pulumi:providers:digitalocean::default_4_76_0::04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                    "oldState": {"urn": "urn:pulumi:prod::fleet::digitalocean:index/droplet:Droplet::manager-server", "custom": true, "type": "digitalocean:index/droplet:Droplet"},
                    "newState": {"urn": "urn:pulumi:prod::fleet::digitalocean:index/droplet:Droplet::manager-server", "custom": true, "type": "digitalocean:index/droplet:Droplet"},
                    "diffReasons": ["userData"],
                    "replaceReasons": ["userData"],
                    "detailedDiff": {"userData": {"kind": "update-replace", "inputDiff": true}}
                },
                {
                    "op": "delete",
                    "urn": "urn:pulumi:prod::fleet::docker:index/service:Service::service-gateway",
                    "provider": "urn:pulumi:prod::fleet::pulumi:providers:docker::docker::11111111-2222-3333-4444-555555555555",
                    "oldState": {"urn": "urn:pulumi:prod::fleet::docker:index/service:Service::service-gateway", "custom": true, "type": "docker:index/service:Service"},
                    "detailedDiff": null
                }
            ],
            "diagnostics": [
                {"urn": "urn:pulumi:prod::fleet::pulumi:pulumi:Stack::fleet-prod", "message": "warning: something\n", "severity": "warning"}
            ],
            "duration": 5432100000,
            "changeSummary": {
                "create": 1,
                "delete": 1,
                "replace": 1,
                "same": 40,
                "update": 1
            }
        }
        """;

    [Fact]
    public void Reads_the_CLI_digest_and_lists_every_refused_step()
    {
        var digest = JsonSerializer.Deserialize(Digest, PreviewJsonContext.Default.PreviewDigest)!;
        Assert.Equal(4, digest.Steps!.Count);
        Assert.Equal(["userData"], digest.Steps[2].ReplaceReasons!);
        Assert.Equal(40, digest.ChangeSummary!["same"]);
        Assert.Equal("warning", digest.Diagnostics!.Single().Severity);
        var refused = Guard.Refused(digest);
        Assert.Equal(["replace manager-server", "delete service-gateway"], refused.Select(r => r.ToString()));
        Assert.Contains("replace manager-server, delete service-gateway", new PlanRefusedException(refused).Message);
    }

    [Fact]
    public void An_empty_plan_is_allowed()
    {
        var digest = JsonSerializer.Deserialize("{\"changeSummary\":{\"same\":12}}", PreviewJsonContext.Default.PreviewDigest)!;
        Assert.Empty(Guard.Refused(digest));
    }
}
