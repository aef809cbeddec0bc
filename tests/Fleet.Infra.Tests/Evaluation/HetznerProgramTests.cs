using Fleet.Infra.Configuration;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Evaluation;

public class HetznerProgramTests
{
    private static readonly (string, string?)[] Hetzner =
    [
        ("fleet:cloud", "hetzner"), ("fleet:region", "fsn1"), ("fleet:manager", "{size: cx23}"),
        ("fleet:pools", "[{name: cpu, size: cpx32, nodes: [a1, a2], max: 6}]"),
    ];

    [Fact]
    public void Firewalls_bind_by_label_selector_and_carry_only_the_public_and_admin_planes()
    {
        var (_, program) = Fleets.Evaluate(Hetzner);
        var firewalls = program.OfType("hcloud:index/firewall:Firewall").ToArray();

        var selectors = firewalls.ToDictionary(f => f.Name, f => (string)((Dictionary<string, object?>)((List<object?>)f.Input("applyTos")!).Single()!)["labelSelector"]!);
        Assert.Equal("fleet.project=fleet,fleet.stack=test,fleet.role=manager", selectors["firewall-public-manager"]);
        Assert.Equal("fleet.project=fleet,fleet.stack=test", selectors["firewall-admin-nodes"]);
        var ports = firewalls.SelectMany(f => ((List<object?>)f.Input("rules")!).Cast<Dictionary<string, object?>>()).Select(r => (string)r["port"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["22", "2376", "443", "80"], ports);
        Assert.Equal(["fleet.project=fleet", "fleet.stack=test", "fleet.role=worker", "fleet.pool=cpu"],
            ((Dictionary<string, object?>)program["worker-cpu-a1"].Input("labels")!).Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Fact]
    public void Servers_are_deleted_before_they_are_replaced_because_names_are_unique_per_project()
    {
        var program = TestStacks.Synthesize(Hetzner).Program!;

        Assert.All(program.Resources.Where(r => r.Type == "hcloud:index/server:Server"), r => Assert.Equal(new Pulumi.PBool(true), r.Options["deleteBeforeReplace"]));
    }

    [Fact]
    public void Integer_id_inputs_receive_integers()
    {
        var (_, program) = Fleets.Evaluate(Hetzner);
        var networkId = long.Parse((string)program["network"].Outputs["id"]!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(networkId, program["subnet"].Input("networkId"));
        var worker = program["worker-cpu-a1"];
        Assert.Equal(networkId, ((Dictionary<string, object?>)((List<object?>)worker.Input("networks")!).Single()!)["networkId"]);
        Assert.Equal(long.Parse((string)program["placement-cpu"].Outputs["id"]!, System.Globalization.CultureInfo.InvariantCulture), worker.Input("placementGroupId"));
        var publicNet = (Dictionary<string, object?>)((List<object?>)program[Fleet.Infra.Model.FleetNames.ManagerResource].Input("publicNets")!).Single()!;
        Assert.Equal(long.Parse((string)program["manager-ip"].Outputs["id"]!, System.Globalization.CultureInfo.InvariantCulture), publicNet["ipv4"]);
    }

    [Fact]
    public void Workers_join_the_managers_fixed_private_address()
    {
        var (_, program) = Fleets.Evaluate(Hetzner);

        Assert.Equal("10.210.0.2", ((Dictionary<string, object?>)((List<object?>)program[Fleet.Infra.Model.FleetNames.ManagerResource].Input("networks")!).Single()!)["ip"]);
        Assert.Contains("FLEET_MANAGER_ADDR=10.210.0.2\n", Fleets.File(Fleets.CloudConfig(program["worker-cpu-a2"]), "/etc/fleet/fleet.env"));
        Assert.Equal("http://10.210.0.2:8080", ((Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)program["service-agent-cpu"].Input("taskSpec")!)["containerSpec"]!)["env"]!)["FLEET_GATEWAY_URL"]);
    }

    [Fact]
    public void The_api_record_is_an_rrset_in_the_existing_zone()
    {
        var (_, program) = Fleets.Evaluate([.. Hetzner, ("fleet:domain", "example.net"), ("fleet:acmeEmail", "ops@example.net")]);
        var rrset = program["dns-api"];

        Assert.Equal(("example.net", "api", "A"), (rrset.InputString("zone"), rrset.InputString("name"), rrset.InputString("type")));
        Assert.Equal(TestMocks.ManagerPublicIp, ((Dictionary<string, object?>)((List<object?>)rrset.Input("records")!).Single()!)["value"]);
    }

    [Fact]
    public void A_pool_beyond_a_spread_group_is_rejected()
    {
        var result = Fleet.Infra.Synthesis.SynthesisPipeline.Run(TestStacks.StackFile([.. Hetzner.Take(3), ("fleet:pools", "[{name: cpu, size: cpx32, nodes: [a1], max: 12}]")]));

        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:pools[0].max" && d.Code == ConfigCodes.OutOfRange && d.Message.Contains("spread placement group", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fsn1", "cx22")]
    [InlineData("fsn1", "s-2vcpu-4gb")]
    public void Hetzner_sizes_are_checked_against_the_hetzner_table(string region, string size)
    {
        var result = Fleet.Infra.Synthesis.SynthesisPipeline.Run(TestStacks.StackFile([.. Hetzner.Take(2), ("fleet:region", region), ("fleet:manager", $"{{size: {size}}}")]));

        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:manager.size" && (d.Code == ConfigCodes.UnknownSize || d.Code == ConfigCodes.BadFormat) && d.Message.Contains("cx23", StringComparison.Ordinal) | d.Message.Contains("2026-11-01", StringComparison.Ordinal));
    }
}
