using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Tests.Workflows;

/// <summary>
/// <c>scripts/ci-admin-access</c> run for real against fake <c>doctl</c>/<c>hcloud</c> executables that record every call:
/// the exact firewall a hosted runner gets (its own address only, the manager only, the orchestrator's API port), that
/// <c>close</c> removes exactly that one and can run twice, that <c>sweep</c> removes only stale CI firewalls, and that
/// a bad egress address stops the script before any cloud call.
/// </summary>
public sealed class CiAdminAccessTests : IDisposable
{
    private readonly FakeCloudCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private static Dictionary<string, string?> Env(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private (int ExitCode, string Stdout, string Stderr) Ok(params string[] args) => Ok(args, null);

    private (int ExitCode, string Stdout, string Stderr) Ok(string[] args, IReadOnlyDictionary<string, string?>? env)
    {
        var result = _cli.Run(args, env);
        Assert.True(result.ExitCode == 0, $"ci-admin-access {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Stderr}{result.Stdout}");
        return result;
    }

    private static string[] Call(params string[] argv) => argv;

    private void AssertCalls(params string[][] expected) =>
        Assert.Equal(expected.Select(c => string.Join(' ', c)), _cli.Calls.Select(c => string.Join(' ', c)));

    /// <summary>No token on any command line, and every call found the token in its environment.</summary>
    private void AssertTokensOnlyInEnvironment()
    {
        Assert.NotEmpty(_cli.Calls);
        foreach (var call in _cli.Calls)
        foreach (var arg in call)
        {
            Assert.DoesNotContain(FakeCloudCli.DigitalOceanToken, arg, StringComparison.Ordinal);
            Assert.DoesNotContain(FakeCloudCli.HetznerToken, arg, StringComparison.Ordinal);
        }
        Assert.All(_cli.TokenEnvironment, line => Assert.True(
            line == $"doctl {FakeCloudCli.DigitalOceanToken}" || line == $"hcloud {FakeCloudCli.HetznerToken}", line));
    }

    // ------------------------------------------------------------------ open

    [Theory]
    [InlineData("swarm", "2376")]
    [InlineData("k3s", "6443")]
    public void Open_on_DigitalOcean_allows_only_the_runner_to_the_managers_admin_ports(string orchestrator, string apiPort)
    {
        _cli.SeedTag("fleet-prod-manager");

        var result = Ok("open", "--stack", "acme/prod", "--cloud", "digitalocean", "--orchestrator", orchestrator);

        var id = "fb6045f1-cf1d-4ca3-bfac-000000000001";
        AssertCalls(
            Call("doctl", "compute", "tag", "get", "fleet-prod-manager", "--format", "Name", "--no-header"),
            Call("doctl", "compute", "firewall", "create", "--name", FakeCloudCli.ProdFirewall, "--tag-names", "fleet-prod-manager",
                "--inbound-rules", $"protocol:tcp,ports:22,address:203.0.113.9/32 protocol:tcp,ports:{apiPort},address:203.0.113.9/32",
                "--format", "ID", "--no-header"),
            // The fake answers `waiting` first: open returns only once the rules are active.
            Call("doctl", "compute", "firewall", "get", id, "--format", "Status", "--no-header"),
            Call("doctl", "compute", "firewall", "get", id, "--format", "Status", "--no-header"));
        Assert.Equal(new[] { (id, FakeCloudCli.ProdFirewall) }, _cli.Firewalls("doctl"));
        Assert.Contains("203.0.113.9/32", result.Stderr);
        Assert.Contains("is active", result.Stderr);
        AssertTokensOnlyInEnvironment();
    }

    [Fact]
    public void Open_on_DigitalOcean_creates_the_manager_tag_when_the_stack_has_none_yet()
    {
        // Before the first `up` the tag does not exist, and DigitalOcean rejects a firewall naming a missing tag.
        Ok("open", "--stack", "prod", "--cloud", "digitalocean");

        Assert.Equal(["fleet-prod-manager"], _cli.Tags);
        Assert.Equal("doctl compute tag create fleet-prod-manager --format Name --no-header", string.Join(' ', _cli.Calls[1]));
        Assert.Equal(FakeCloudCli.ProdFirewall, Assert.Single(_cli.Firewalls("doctl")).Name);
    }

    [Theory]
    [InlineData("swarm", "2376", "Docker API (TLS)")]
    [InlineData("k3s", "6443", "Kubernetes API")]
    public void Open_on_Hetzner_applies_one_firewall_to_the_manager_label_selector(string orchestrator, string apiPort, string apiName)
    {
        Ok("open", "--stack", "prod", "--cloud", "hetzner", "--orchestrator", orchestrator);

        var name = FakeCloudCli.ProdFirewall;
        AssertCalls(
            Call("hcloud", "firewall", "create", "--name", name, "--label", "fleet-ci=true", "--label", "fleet-ci-created=1800000000", "--label", "fleet-ci-stack=prod"),
            Call("hcloud", "firewall", "add-rule", name, "--direction", "in", "--protocol", "tcp", "--port", "22", "--source-ips", "203.0.113.9/32", "--description", "fleet CI runner: SSH"),
            Call("hcloud", "firewall", "add-rule", name, "--direction", "in", "--protocol", "tcp", "--port", apiPort, "--source-ips", "203.0.113.9/32", "--description", "fleet CI runner: " + apiName),
            Call("hcloud", "firewall", "apply-to-resource", name, "--type", "label_selector", "--label-selector", "fleet.project=fleet,fleet.stack=prod,fleet.role=manager"));
        Assert.Equal(["1000001 fleet.project=fleet,fleet.stack=prod,fleet.role=manager"], _cli.Applied);
        AssertTokensOnlyInEnvironment();
    }

    [Fact]
    public void An_ipv6_runner_is_allowed_as_a_single_128()
    {
        _cli.SeedTag("fleet-prod-manager");

        Ok(["open", "--stack", "prod", "--cloud", "digitalocean"], Env(("FLEET_CI_EGRESS_IP", "2001:DB8:0:1::42\n")));

        Assert.Contains("--inbound-rules\u001fprotocol:tcp,ports:22,address:2001:db8:0:1::42/128 protocol:tcp,ports:2376,address:2001:db8:0:1::42/128",
            string.Join('\u001f', _cli.Calls[1]));
    }

    [Fact]
    public void The_runner_address_is_discovered_over_http_when_not_given()
    {
        _cli.SeedTag("fleet-prod-manager");
        using var server = new OneAnswerHttpServer("198.51.100.77\n");

        Ok(["open", "--stack", "prod", "--cloud", "digitalocean"], Env(("FLEET_CI_EGRESS_IP", null), ("FLEET_CI_IP_URL", server.Url)));

        Assert.Contains("address:198.51.100.77/32", _cli.Calls[1].Single(a => a.StartsWith("protocol:", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string> BadAddresses => new()
    {
        { "0.0.0.0", "not a public address" },
        { "0.0.0.0/0", "single address, not the range" },
        { "203.0.113.0/24", "single address, not the range" },
        { "203.0.113.9/32", "single address, not the range" },
        { "::/0", "single address, not the range" },
        { "garbage", "not an IPv4 or IPv6 address" },
        { "", "empty" },
        { "   \n", "empty" },
        { "203.0.113.9 198.51.100.1", "not an IPv4 or IPv6 address" },
        { "203.0.113.9,0.0.0.0", "not an IPv4 or IPv6 address" },
        { "203.0.113.9;id", "not an IPv4 or IPv6 address" },
        { "203.0.113.9/32; touch /tmp/x", "not an IPv4 or IPv6 address" },
        { "256.1.1.1", "not an IPv4 or IPv6 address" },
        { "010.1.1.1", "not an IPv4 or IPv6 address" },
        { "10.1.2.3", "not a public address" },
        { "192.168.1.10", "not a public address" },
        { "127.0.0.1", "not a public address" },
        { "255.255.255.255", "not a public address" },
        { "::", "not a public address" },
        { "::1", "not a public address" },
        { "fe80::1", "not a public address" },
        { "::ffff:203.0.113.9", "not an IPv4 or IPv6 address" },
        { "2002:cb00:7109::1", "embeds IPv4" },
        { "2001:0:4136:e378::1", "embeds IPv4" },
        { "64:ff9b::cb00:7109", "embeds IPv4" },
        { "<html>rate limited</html>", "not an IPv4 or IPv6 address" },
    };

    [Theory]
    [MemberData(nameof(BadAddresses))]
    public void A_bad_egress_address_is_refused_before_any_cloud_call(string address, string reason)
    {
        foreach (var cloud in new[] { "digitalocean", "hetzner" })
        {
            var result = _cli.Run(["open", "--stack", "prod", "--cloud", cloud], Env(("FLEET_CI_EGRESS_IP", address)));

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("ci-admin-access: error:", result.Stderr);
            Assert.Contains(reason, result.Stderr);
            Assert.Contains("refusing to open the admin plane", result.Stderr);
            Assert.Empty(_cli.Calls);
        }
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("203.0.113.0/24")]
    [InlineData("")]
    public void A_bad_discovered_address_is_refused_before_any_cloud_call(string answer)
    {
        using var server = new OneAnswerHttpServer(answer);

        var result = _cli.Run(["open", "--stack", "prod", "--cloud", "hetzner"], Env(("FLEET_CI_EGRESS_IP", null), ("FLEET_CI_IP_URL", server.Url)));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("refusing to open the admin plane", result.Stderr);
        Assert.Empty(_cli.Calls);
    }

    [Fact]
    public void Discovery_failure_is_an_error_without_cloud_calls()
    {
        var result = _cli.Run(["open", "--stack", "prod", "--cloud", "digitalocean"], Env(("FLEET_CI_EGRESS_IP", null), ("FLEET_CI_IP_URL", "http://127.0.0.1:9/")));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("could not discover the runner's egress address", result.Stderr);
        Assert.Empty(_cli.Calls);
    }

    [Theory]
    [InlineData("digitalocean", "DIGITALOCEAN_ACCESS_TOKEN")]
    [InlineData("hetzner", "HCLOUD_TOKEN")]
    public void A_missing_token_is_an_error_without_cloud_calls(string cloud, string variable)
    {
        var result = _cli.Run(["open", "--stack", "prod", "--cloud", cloud], Env((variable, null)));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{variable} is not set", result.Stderr);
        Assert.Empty(_cli.Calls);
    }

    [Fact]
    public void Outside_github_actions_a_run_id_is_required()
    {
        var result = _cli.Run(["open", "--stack", "prod", "--cloud", "hetzner"], Env(("GITHUB_RUN_ID", null)));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("GITHUB_RUN_ID is not set", result.Stderr);
        Assert.Empty(_cli.Calls);
    }

    // ------------------------------------------------------------------ close

    /// <summary>Firewalls close must never touch: Pulumi's, other runs', other attempts', and a stack whose name looks like a run.</summary>
    private static (string Id, string Name)[] Neighbours(string idPrefix) =>
    [
        (idPrefix + "1", "fleet-prod-admin-manager"),
        (idPrefix + "2", "fleet-prod-public-manager"),
        (idPrefix + "3", "fleet-ci-prod-4241-1-1799990000"),
        (idPrefix + "4", "fleet-ci-prod-4242-1-1799999000"),
        (idPrefix + "5", "fleet-ci-prod-4242-2-7-1799999000"),
        (idPrefix + "6", "fleet-ci-staging-4242-2-1800000000"),
    ];

    [Fact]
    public void Close_on_DigitalOcean_deletes_exactly_the_created_firewall_and_is_idempotent()
    {
        _cli.SeedTag("fleet-prod-manager");
        var neighbours = Neighbours("aaaaaaaa-0000-4000-8000-00000000000");
        _cli.Seed("doctl", neighbours);
        Ok("open", "--stack", "prod", "--cloud", "digitalocean");
        var created = _cli.Firewalls("doctl").Single(f => f.Name == FakeCloudCli.ProdFirewall);
        var before = _cli.Calls.Count;

        Ok("close", "--stack", "prod", "--cloud", "digitalocean");

        Assert.Equal(
            [$"doctl compute firewall list --format ID,Name --no-header", $"doctl compute firewall delete {created.Id} --force"],
            _cli.Calls.Skip(before).Select(c => string.Join(' ', c)));
        Assert.Equal(neighbours, _cli.Firewalls("doctl"));

        before = _cli.Calls.Count;
        var again = Ok("close", "--stack", "prod", "--cloud", "digitalocean");
        Assert.Equal(["doctl compute firewall list --format ID,Name --no-header"], _cli.Calls.Skip(before).Select(c => string.Join(' ', c)));
        Assert.Contains("no firewall of this run", again.Stderr);
        Assert.Equal(neighbours, _cli.Firewalls("doctl"));
        AssertTokensOnlyInEnvironment();
    }

    [Fact]
    public void Close_on_Hetzner_detaches_then_deletes_exactly_the_created_firewall_and_is_idempotent()
    {
        var neighbours = Neighbours("20000");
        _cli.Seed("hcloud", neighbours);
        _cli.SeedApplied("200001", "fleet.project=fleet,fleet.stack=prod");
        Ok("open", "--stack", "prod", "--cloud", "hetzner", "--orchestrator", "k3s");
        var before = _cli.Calls.Count;

        Ok("close", "--stack", "prod", "--cloud", "hetzner");

        Assert.Equal(
        [
            "hcloud firewall list -o noheader -o columns=id,name",
            "hcloud firewall describe 1000001 -o format={{range .AppliedTo}}{{if .LabelSelector}}{{.LabelSelector.Selector}}{{\"\\n\"}}{{end}}{{end}}",
            "hcloud firewall remove-from-resource 1000001 --type label_selector --label-selector fleet.project=fleet,fleet.stack=prod,fleet.role=manager",
            "hcloud firewall delete 1000001",
        ], _cli.Calls.Skip(before).Select(c => string.Join(' ', c)));
        Assert.Equal(neighbours, _cli.Firewalls("hcloud"));
        Assert.Equal(["200001 fleet.project=fleet,fleet.stack=prod"], _cli.Applied);

        before = _cli.Calls.Count;
        Ok("close", "--stack", "prod", "--cloud", "hetzner");
        Assert.Equal(["hcloud firewall list -o noheader -o columns=id,name"], _cli.Calls.Skip(before).Select(c => string.Join(' ', c)));
        AssertTokensOnlyInEnvironment();
    }

    [Fact]
    public void Close_after_a_half_done_open_still_removes_the_firewall()
    {
        // open failed after `create` (say add-rule hit an API error): the always() close step must still clean up.
        _cli.Seed("hcloud", ("1000777", FakeCloudCli.ProdFirewall));

        Ok("close", "--stack", "prod", "--cloud", "hetzner");

        Assert.Empty(_cli.Firewalls("hcloud"));
    }

    [Fact]
    public void Close_fails_when_the_firewall_cannot_be_deleted()
    {
        // A leak must show as a failed step, not pass silently: here the fake refuses because the firewall is applied
        // to a selector that describe does not report (as if the API answered inconsistently).
        _cli.Seed("hcloud", ("1000777", FakeCloudCli.ProdFirewall));
        File.WriteAllText(Path.Combine(_cli.Dir, "hcloud.applied"), "1000777 x=y\n");
        var fake = File.ReadAllText(Path.Combine(_cli.Dir, "hcloud"));
        var broken = fake.Replace("awk -v id=\"$id\" '$1 == id { print $2 }' \"$applied\" ;;", "true ;;", StringComparison.Ordinal);
        Assert.NotEqual(fake, broken);
        File.WriteAllText(Path.Combine(_cli.Dir, "hcloud"), broken);

        var result = _cli.Run(["close", "--stack", "prod", "--cloud", "hetzner"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"could not delete firewall {FakeCloudCli.ProdFirewall} (1000777)", result.Stderr);
    }

    [Fact]
    public void Close_without_the_cli_installed_has_nothing_to_do()
    {
        if (File.Exists("/usr/bin/doctl") || File.Exists("/bin/doctl")) return; // meaningless where a real doctl is installed
        var empty = Directory.CreateTempSubdirectory("fleet-ci-nocli-").FullName;
        try
        {
            var result = Ok(["close", "--stack", "prod", "--cloud", "digitalocean"], Env(("PATH", empty + ":/usr/bin:/bin")));
            Assert.Contains("nothing to close", result.Stderr);
        }
        finally { Directory.Delete(empty, recursive: true); }
    }

    // ------------------------------------------------------------------ sweep

    private const long Hour = 3600;

    private static (string Id, string Name)[] SweepFixture(string idPrefix, long now) =>
    [
        (idPrefix + "1", "fleet-prod-admin-manager"),
        (idPrefix + "2", "fleet-ci-admin-manager"), // Pulumi's own firewall of a stack named `ci`
        (idPrefix + "3", "fleet-ci-egress-nodes"),
        (idPrefix + "4", $"fleet-ci-prod-10-1-{now - 60}"), // a running job
        (idPrefix + "5", $"fleet-ci-prod-9-1-{now - 5 * Hour}"), // long but possibly still running
        (idPrefix + "6", $"fleet-ci-prod-8-1-{now - 7 * Hour}"), // stale
        (idPrefix + "7", $"fleet-ci-dev-7-3-{now - 30 * Hour}"), // stale, another stack
        (idPrefix + "8", "fleet-ci-handmade"),
        (idPrefix + "9", $"fleet-ci-prod-6-1-{now + Hour}"), // clock skew: never deleted
    ];

    [Fact]
    public void Sweep_on_DigitalOcean_deletes_only_stale_ci_firewalls()
    {
        var fixture = SweepFixture("cccccccc-0000-4000-8000-00000000000", FakeCloudCli.Now);
        _cli.Seed("doctl", fixture);

        Ok("sweep", "--stack", "prod", "--cloud", "digitalocean");

        AssertCalls(
            Call("doctl", "compute", "firewall", "list", "--format", "ID,Name", "--no-header"),
            Call("doctl", "compute", "firewall", "delete", fixture[5].Id, "--force"),
            Call("doctl", "compute", "firewall", "delete", fixture[6].Id, "--force"));
        Assert.Equal(fixture.Except([fixture[5], fixture[6]]), _cli.Firewalls("doctl"));
        AssertTokensOnlyInEnvironment();
    }

    [Fact]
    public void Sweep_on_Hetzner_detaches_and_deletes_only_stale_ci_firewalls()
    {
        var fixture = SweepFixture("30000", FakeCloudCli.Now);
        _cli.Seed("hcloud", fixture);
        foreach (var (id, _) in fixture) _cli.SeedApplied(id, $"fleet.project=fleet,fleet.stack=s{id}");

        Ok("sweep", "--stack", "prod", "--cloud", "hetzner");

        Assert.Equal(fixture.Except([fixture[5], fixture[6]]), _cli.Firewalls("hcloud"));
        Assert.Equal(fixture.Except([fixture[5], fixture[6]]).Select(f => $"{f.Id} fleet.project=fleet,fleet.stack=s{f.Id}"), _cli.Applied);
        Assert.All(_cli.Calls.Where(c => c[2] is "delete" or "remove-from-resource" or "describe"), c => Assert.Contains(c[3], new[] { fixture[5].Id, fixture[6].Id }));
        AssertTokensOnlyInEnvironment();
    }

    [Fact]
    public void Sweep_age_is_configurable()
    {
        var fixture = SweepFixture("dddddddd-0000-4000-8000-00000000000", FakeCloudCli.Now);
        _cli.Seed("doctl", fixture);

        Ok(["sweep", "--stack", "prod", "--cloud", "digitalocean", "--max-age", "7200"], null);

        Assert.Equal(fixture.Except([fixture[4], fixture[5], fixture[6]]), _cli.Firewalls("doctl"));
    }

    // ------------------------------------------------------------------ stack files

    [Fact]
    public void The_cloud_command_reads_the_committed_prod_stack()
    {
        var result = Ok("cloud", "--stack", "acme/prod");

        Assert.Equal("digitalocean\n", result.Stdout);
        Assert.Empty(_cli.Calls);
    }

    /// <summary>
    /// With only <c>--stack</c>, cloud, orchestrator and project come from the stack files, and the CI firewall opens
    /// the manager's admin plane as the synthesized program defines it: bound like <c>firewall-admin-manager</c> (same tag or
    /// label selector), with its API port plus SSH from <c>firewall-admin-nodes</c> (the manager is a node too).
    /// </summary>
    [Theory]
    [InlineData("do-swarm")]
    [InlineData("do-k3s")]
    [InlineData("hetzner-swarm")]
    [InlineData("hetzner-k3s")]
    public void The_ci_firewall_opens_the_managers_admin_plane_as_the_program_defines_it(string example)
    {
        // The printed program, as Pulumi gets it (its firewalls carry literals, apart from DigitalOcean's tag references).
        var result = SynthesisPipeline.Run(TestStacks.Committed("examples/" + example));
        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(PulumiYamlWriter.Write(result.Program!)));
        var resources = (YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode)["resources"];
        YamlMappingNode Properties(string name) => (YamlMappingNode)((YamlMappingNode)resources[name])["properties"];
        string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;
        var manager = Properties("firewall-admin-manager");
        var hetzner = Scalar(((YamlMappingNode)resources["firewall-admin-manager"])["type"]).StartsWith("hcloud:", StringComparison.Ordinal);
        var (rulesKey, portKey) = hetzner ? ("rules", "port") : ("inboundRules", "portRange");
        var expectedPorts = new[] { manager, Properties("firewall-admin-nodes") }
            .SelectMany(f => ((YamlSequenceNode)f[rulesKey]).Children.Cast<YamlMappingNode>())
            .Select(r => { Assert.Equal("tcp", Scalar(r["protocol"])); return Scalar(r[portKey]); })
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Contains("22", expectedPorts);
        string? tag = null;
        if (!hetzner)
        {
            var reference = Regex.Match(Scalar(((YamlSequenceNode)manager["tags"]).Children.Single()), @"^\$\{([a-z0-9-]+)\.name\}$");
            Assert.True(reference.Success);
            tag = Scalar(Properties(reference.Groups[1].Value)["name"]);
            _cli.SeedTag(tag);
        }

        Ok(["open", "--stack", example], Env(("FLEET_PROJECT_DIR", Path.Combine(RepoPaths.Root, "examples"))));

        var name = $"fleet-ci-{example}-4242-2-1800000000";
        string Arg(string[] call, string flag) => call[Array.IndexOf(call, flag) + 1];
        if (hetzner)
        {
            var selector = Scalar(((YamlMappingNode)((YamlSequenceNode)manager["applyTos"]).Children.Single())["labelSelector"]);
            var rules = _cli.Calls.Where(c => c[2] == "add-rule").ToArray();
            Assert.Equal(expectedPorts, rules.Select(c => Arg(c, "--port")).Order(StringComparer.Ordinal));
            Assert.All(rules, c => Assert.Equal("203.0.113.9/32", Arg(c, "--source-ips")));
            Assert.Equal($"hcloud firewall apply-to-resource {name} --type label_selector --label-selector {selector}", string.Join(' ', _cli.Calls[^1]));
        }
        else
        {
            var create = _cli.Calls.Single(c => c[2] == "firewall" && c[3] == "create");
            Assert.Equal(tag, Arg(create, "--tag-names"));
            Assert.Equal(name, Arg(create, "--name"));
            Assert.Equal(expectedPorts.Select(p => $"protocol:tcp,ports:{p},address:203.0.113.9/32").Order(StringComparer.Ordinal),
                Arg(create, "--inbound-rules").Split(' ').Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Script_passes_shellcheck()
    {
        var (code, output) = ExternalTool.Run("shellcheck", FakeCloudCli.Script);
        Assert.True(code == 0, output);
    }

    /// <summary>Answers every request with one fixed body (the runner-address service, on loopback).</summary>
    private sealed class OneAnswerHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        public OneAnswerHttpServer(string body)
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    var request = new StringBuilder();
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0) break;
                        request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    var payload = Encoding.UTF8.GetBytes(body);
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(payload, _stop.Token);
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
