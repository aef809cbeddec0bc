using System.Text;
using System.Text.Json;
using Fleet.Infra.Configuration;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Evaluation;

/// <summary>Assertions on the final inputs of the emitted program, evaluated with mocked outputs.</summary>
public class SwarmProgramTests
{
    [Fact]
    public void Workers_join_the_managers_private_address_with_the_worker_token_and_their_own_credential()
    {
        var (_, program) = Fleets.Evaluate();

        foreach (var id in new[] { "1", "2" })
        {
            var worker = program[$"worker-cpu-{id}"];
            Assert.True(worker.IsSecret("userData"), "user data carrying a token must stay secret");
            var init = Fleets.CloudConfig(worker);
            Assert.Contains($"FLEET_MANAGER_ADDR={TestMocks.ManagerPrivateIp}\n", Fleets.File(init, "/etc/fleet/fleet.env"));
            Assert.Equal(TestMocks.WorkerToken, Fleets.File(init, "/etc/fleet/swarm-token"));
            var credential = EvaluatedResource.Unwrap(program[$"node-credential-cpu-{id}"].Outputs["result"]);
            Assert.Equal(credential, Fleets.File(init, "/etc/fleet/node-credential"));
            Assert.Contains("\"fleet.pool=cpu\"", Fleets.File(init, "/etc/docker/daemon.json"));
        }
    }

    [Fact]
    public void The_manager_never_receives_a_join_token_and_gets_its_docker_tls_identity()
    {
        var (_, program) = Fleets.Evaluate();
        var manager = program[Fleet.Infra.Model.FleetNames.ManagerResource];
        var init = Fleets.CloudConfig(manager);

        Assert.DoesNotContain("SWMTKN", manager.InputString("userData"));
        Assert.True(manager.IsSecret("userData"));
        Assert.Contains("MOCKdocker-server-key", Fleets.File(init, "/etc/fleet/docker-tls/server-key.pem"));
        Assert.Contains("--tlsverify", Fleets.File(init, "/etc/systemd/system/docker.service.d/fleet-tls.conf"));
    }

    [Fact]
    public void The_worker_token_is_read_from_the_manager_over_ssh_and_kept_secret()
    {
        var (_, program) = Fleets.Evaluate();
        var command = program["swarm-worker-token"];

        Assert.Contains("docker swarm join-token -q worker", command.InputString("create"));
        Assert.DoesNotContain("manager", command.InputString("create").Replace("join-token", "", StringComparison.Ordinal).Split(' ').Where(w => w == "manager"));
        var connection = (Dictionary<string, object?>)command.Input("connection")!;
        Assert.Equal(TestMocks.ManagerPublicIp, connection["host"]);
        Assert.Contains("manager-ip-assignment", command.DependsOn);
    }

    [Fact]
    public void Firewalls_implement_exactly_the_three_planes()
    {
        var (_, program) = Fleets.Evaluate(("fleet:adminCidrs", "[\"198.51.100.0/28\"]"));
        var rules = program.OfType(":Firewall")
            .SelectMany(f => ((List<object?>?)f.Input("inboundRules") ?? []).Cast<Dictionary<string, object?>>()
                .Select(r => (Tag: (string)((List<object?>)f.Input("tags")!).Single()!, Protocol: (string)r["protocol"]!, Ports: (string)r["portRange"]!,
                    Sources: string.Join(",", ((List<object?>)r["sourceAddresses"]!).Cast<string>()))))
            .OrderBy(r => r.ToString(), StringComparer.Ordinal).ToArray();

        Assert.Equal(
        [
            ("fleet-test-manager", "tcp", "2376", "198.51.100.0/28"),
            ("fleet-test-manager", "tcp", "443", "0.0.0.0/0,::/0"),
            ("fleet-test-manager", "tcp", "80", "0.0.0.0/0,::/0"),
            ("fleet-test-node", "tcp", "22", "198.51.100.0/28"),
            ("fleet-test-node", "tcp", "2377", "10.210.0.0/20"),
            ("fleet-test-node", "tcp", "7946", "10.210.0.0/20"),
            ("fleet-test-node", "tcp", "8080", "10.210.0.0/20"),
            ("fleet-test-node", "udp", "4789", "10.210.0.0/20"),
            ("fleet-test-node", "udp", "7946", "10.210.0.0/20"),
        ], rules);
    }

    [Fact]
    public void Egress_allows_what_a_node_needs_to_bootstrap()
    {
        var (_, program) = Fleets.Evaluate();
        var egress = ((List<object?>)program["firewall-egress-nodes"].Input("outboundRules")!).Cast<Dictionary<string, object?>>()
            .Select(r => $"{r["protocol"]}/{(r.TryGetValue("portRange", out var p) ? p : "-")}").ToArray();

        Assert.Superset(new HashSet<string> { "udp/53", "tcp/53", "tcp/80", "tcp/443", "udp/123" }, egress.ToHashSet());
    }

    [Fact]
    public void Droplets_are_bound_to_firewalls_by_tag_not_integer_ids()
    {
        var (_, program) = Fleets.Evaluate();

        Assert.All(program.OfType(":Firewall"), f => Assert.Null(f.Input("dropletIds")));
        Assert.Equal(["fleet-test-node", "fleet-test-worker", "fleet-test-pool-cpu"], ((List<object?>)program["worker-cpu-1"].Input("tags")!).Cast<string>());
    }

    [Fact]
    public void The_reserved_ip_is_assigned_with_an_integer_droplet_id()
    {
        var (_, program) = Fleets.Evaluate();
        var assignment = program["manager-ip-assignment"];

        Assert.Equal(long.Parse((string)program[Fleet.Infra.Model.FleetNames.ManagerResource].Outputs["id"]!, System.Globalization.CultureInfo.InvariantCulture), assignment.Input("dropletId"));
    }

    [Fact]
    public void Removing_a_node_id_removes_exactly_that_droplet()
    {
        var (_, before) = Fleets.Evaluate(("fleet:pools", "[{name: cpu, size: c-4, nodes: [a1, a2, a3], max: 3}]"));
        var (_, after) = Fleets.Evaluate(("fleet:pools", "[{name: cpu, size: c-4, nodes: [a1, a3], max: 3}]"));

        var droplets = (EvaluatedProgram p) => p.OfType(":Droplet").ToDictionary(d => d.Name, d => d.InputString("name"));
        Assert.Equal(["worker-cpu-a2"], droplets(before).Keys.Except(droplets(after).Keys));
        Assert.Empty(droplets(after).Keys.Except(droplets(before).Keys));
        foreach (var name in new[] { "worker-cpu-a1", "worker-cpu-a3" })
            Assert.Equal(before[name].InputString("name"), after[name].InputString("name"));
    }

    [Theory]
    [InlineData("digitalocean", "fra1", "c-4", "s-2vcpu-4gb")]
    [InlineData("hetzner", "fsn1", "cpx32", "cx23")]
    public void A_changed_bootstrap_never_replaces_running_servers(string cloud, string region, string size, string managerSize)
    {
        var program = TestStacks.Synthesize(("fleet:cloud", cloud), ("fleet:region", region), ("fleet:manager", $"{{size: {managerSize}}}"),
            ("fleet:pools", $"[{{name: cpu, size: {size}, count: 2}}]")).Program!;

        foreach (var server in program.Resources.Where(r => r.Name == Fleet.Infra.Model.FleetNames.ManagerResource || r.Name.StartsWith("worker-", StringComparison.Ordinal)))
            Assert.Equal(["userData"], ((Fleet.Infra.Pulumi.PList)server.Options["ignoreChanges"]!).Items.Cast<Fleet.Infra.Pulumi.PString>().Select(p => p.Raw));
    }

    [Fact]
    public void The_gateway_knows_each_node_by_the_hash_of_its_own_credential()
    {
        var (_, program) = Fleets.Evaluate();
        var data = program["gateway-nodes-file"].InputString("stdin");
        Assert.True(program["gateway-nodes-file"].IsSecret("stdin"));
        var nodes = JsonDocument.Parse(data).RootElement.GetProperty("nodes").EnumerateArray().ToArray();

        Assert.Equal(["fleet-test-cpu-1", "fleet-test-cpu-2"], nodes.Select(n => n.GetProperty("node").GetString()));
        foreach (var (node, id) in nodes.Zip(new[] { "1", "2" }))
        {
            var credential = (string)EvaluatedResource.Unwrap(program[$"node-credential-cpu-{id}"].Outputs["result"])!;
            Assert.Equal(ApiKeysReader.Sha256Hex(credential), node.GetProperty("sha256").GetString());
            Assert.DoesNotContain(credential, data);
        }
    }

    [Fact]
    public void Each_credential_is_hashed_once_and_the_hash_shared_by_the_gateway_and_the_outputs()
    {
        var (yaml, program) = Fleets.Evaluate(("fleet:pools", "[{name: cpu, size: c-4, count: 3}]"));

        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(yaml, "std:index:sha256").Count);
        var outputs = (Dictionary<string, object?>)program.Outputs["nodeCredentialSha256"]!;
        var credential = (string)EvaluatedResource.Unwrap(program["node-credential-cpu-3"].Outputs["result"])!;
        Assert.Equal(ApiKeysReader.Sha256Hex(credential), EvaluatedResource.Unwrap(outputs["fleet-test-cpu-3"]));
    }

    [Fact]
    public void Agents_run_per_pool_on_their_workers_and_heartbeat_to_the_managers_private_address()
    {
        var (_, program) = Fleets.Evaluate(("fleet:pools", "[{name: cpu, size: c-4, count: 1}, {name: big, size: c-8, count: 1}]"));

        foreach (var pool in new[] { "cpu", "big" })
        {
            var service = program[$"service-agent-{pool}"];
            var task = (Dictionary<string, object?>)service.Input("taskSpec")!;
            var constraints = ((List<object?>)((Dictionary<string, object?>)task["placement"]!)["constraints"]!).Cast<string>();
            Assert.Equal(["node.role==worker", $"engine.labels.fleet.pool=={pool}"], constraints);
            var env = (Dictionary<string, object?>)((Dictionary<string, object?>)task["containerSpec"]!)["env"]!;
            Assert.Equal($"http://{TestMocks.ManagerPrivateIp}:8080", env["FLEET_GATEWAY_URL"]);
            Assert.Equal(pool, env["FLEET_POOL"]);
            Assert.Equal("docker", service.DependsOn.Single());
        }
    }

    [Fact]
    public void Pulumi_reaches_the_docker_api_only_with_stack_generated_mtls_keys()
    {
        var (_, program) = Fleets.Evaluate();
        var docker = program["docker"];

        Assert.Equal($"tcp://{TestMocks.ManagerPublicIp}:2376", docker.Input("host"));
        Assert.Contains("MOCKdocker-client-key", (string)docker.Input("keyMaterial")!);
        Assert.Contains("MOCKdocker-client-cert", (string)docker.Input("certMaterial")!);
        // Only once the swarm is up (the worker token was read) and a renewed server certificate is installed.
        Assert.Contains("docker-tls-rotation", docker.DependsOn);
        Assert.Contains("swarm-worker-token", program["docker-tls-rotation"].DependsOn);
    }

    [Fact]
    public void Changing_the_model_or_an_image_changes_services_but_no_server()
    {
        var (_, before) = Fleets.Evaluate();
        var (_, after) = Fleets.Evaluate(
            ("fleet:model", "{url: \"https://example.com/models/other.gguf\", sha256: \"" + new string('c', 64) + "\"}"),
            ("fleet:images", "{agent: \"registry.example.com/fleet/agent:0.2.0\", gateway: \"registry.example.com/fleet/gateway:0.2.0\"}"));

        var changed = before.Resources.Where(r => JsonSerializerLike(r.Inputs) != JsonSerializerLike(after[r.Name].Inputs)).Select(r => r.Name).ToArray();
        Assert.Equal(["service-agent-cpu", "service-gateway"], changed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Outputs_give_the_api_url_and_the_deployed_pools()
    {
        var (_, program) = Fleets.Evaluate(("fleet:domain", "example.org"), ("fleet:acmeEmail", "ops@example.org"));

        Assert.Equal("https://api.example.org/v1", program.Outputs["apiUrl"]);
        var record = program["dns-api"];
        Assert.Equal(("example.org", "api", "A", TestMocks.ManagerPublicIp), (record.InputString("domain"), record.InputString("name"), record.InputString("type"), record.InputString("value")));
        var pools = (Dictionary<string, object?>)program.Outputs["pools"]!;
        Assert.Equal(["1", "2"], ((List<object?>)((Dictionary<string, object?>)pools["cpu"]!)["nodes"]!).Cast<string>());
        Assert.IsType<Secret>(program.Outputs["gatewayAdminToken"]);
        Assert.IsType<Secret>(program.Outputs["sshPrivateKey"]);
    }

    private static string JsonSerializerLike(IReadOnlyDictionary<string, object?> inputs) =>
        string.Join("|", inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + Flatten(kv.Value)));

    private static string Flatten(object? value) => value switch
    {
        Secret s => "secret(" + Flatten(s.Value) + ")",
        List<object?> l => "[" + string.Join(",", l.Select(Flatten)) + "]",
        Dictionary<string, object?> d => "{" + string.Join(",", d.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + ":" + Flatten(kv.Value))) + "}",
        ResourceRef r => "ref:" + r.Name,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}
