using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Configuration;

public class ConfigValidationTests
{
    public static TheoryData<string, string?, string, string> Rejected => new()
    {
        // key, yaml (null removes it), expected diagnostic path, expected code
        { "fleet:cloud", null, "fleet:cloud", ConfigCodes.Missing },
        { "fleet:cloud", "aws", "fleet:cloud", ConfigCodes.NotAllowed },
        { "fleet:cloud", "[digitalocean]", "fleet:cloud", ConfigCodes.WrongType },
        { "fleet:cloud", "\"\"", "fleet:cloud", ConfigCodes.Missing },
        { "fleet:region", null, "fleet:region", ConfigCodes.Missing },
        { "fleet:region", "fsn1", "fleet:region", ConfigCodes.NotAllowed },
        { "fleet:region", "42", "fleet:region", ConfigCodes.WrongType },
        { "fleet:orchestrator", "nomad", "fleet:orchestrator", ConfigCodes.NotAllowed },
        { "fleet:pools", "[{name: gpu, size: gpu-h100x1-80gb, count: 1, gpu: true}]", "fleet:images.agentGpu", ConfigCodes.Missing },
        { "fleet:adminCidrs", null, "fleet:adminCidrs", ConfigCodes.Missing },
        { "fleet:adminCidrs", "[]", "fleet:adminCidrs", ConfigCodes.Missing },
        { "fleet:adminCidrs", "203.0.113.7/32", "fleet:adminCidrs", ConfigCodes.WrongType },
        { "fleet:adminCidrs", "[\"203.0.113.7\"]", "fleet:adminCidrs[0]", ConfigCodes.BadFormat },
        { "fleet:adminCidrs", "[\"203.0.113.7/24\"]", "fleet:adminCidrs[0]", ConfigCodes.BadFormat },
        { "fleet:adminCidrs", "[\"0.0.0.0/0\"]", "fleet:adminCidrs[0]", ConfigCodes.NotAllowed },
        { "fleet:adminCidrs", "[\"::/0\"]", "fleet:adminCidrs[0]", ConfigCodes.NotAllowed },
        { "fleet:adminCidrs", "[\"0.0.0.0/1\", \"198.51.100.0/24\"]", "fleet:adminCidrs[0]", ConfigCodes.NotAllowed },
        { "fleet:adminCidrs", "[\"2000::/3\"]", "fleet:adminCidrs[0]", ConfigCodes.NotAllowed },
        { "fleet:adminCidrs", "[\"10.0.0.0/8\"]", "fleet:adminCidrs[0]", ConfigCodes.NotAllowed },
        { "fleet:adminCidrs", "[\"300.1.1.1/32\"]", "fleet:adminCidrs[0]", ConfigCodes.BadFormat },
        { "fleet:networkCidr", "8.8.0.0/16", "fleet:networkCidr", ConfigCodes.BadFormat },
        { "fleet:networkCidr", "10.0.0.0/8", "fleet:networkCidr", ConfigCodes.BadFormat },
        { "fleet:networkCidr", "10.42.0.0/20", "fleet:networkCidr", ConfigCodes.Conflict },
        { "fleet:domain", "not a domain", "fleet:domain", ConfigCodes.BadFormat },
        { "fleet:domain", "example.com", "fleet:acmeEmail", ConfigCodes.Missing },
        { "fleet:acmeEmail", "nobody", "fleet:acmeEmail", ConfigCodes.BadFormat },
        { "fleet:manager", "s-2vcpu-4gb", "fleet:manager", ConfigCodes.WrongType },
        { "fleet:manager", "{size: \"S 2 VCPU\"}", "fleet:manager.size", ConfigCodes.BadFormat },
        { "fleet:manager", "{size: s-2vcpu-4gb, disk: 50}", "fleet:manager.disk", ConfigCodes.UnknownKey },
        { "fleet:pools", null, "fleet:pools", ConfigCodes.Missing },
        { "fleet:pools", "[]", "fleet:pools", ConfigCodes.Missing },
        { "fleet:pools", "{name: cpu}", "fleet:pools", ConfigCodes.WrongType },
        { "fleet:pools", "[cpu]", "fleet:pools[0]", ConfigCodes.WrongType },
        { "fleet:pools", "[{size: c-4, count: 1}]", "fleet:pools[0].name", ConfigCodes.Missing },
        { "fleet:pools", "[{name: CPU, size: c-4, count: 1}]", "fleet:pools[0].name", ConfigCodes.BadFormat },
        { "fleet:pools", "[{name: cpu, count: 1}]", "fleet:pools[0].size", ConfigCodes.Missing },
        { "fleet:pools", "[{name: cpu, size: c-4}]", "fleet:pools[0].count", ConfigCodes.Missing },
        { "fleet:pools", "[{name: cpu, size: c-4, count: -1}]", "fleet:pools[0].count", ConfigCodes.OutOfRange },
        { "fleet:pools", "[{name: cpu, size: c-4, count: two}]", "fleet:pools[0].count", ConfigCodes.WrongType },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 1.5}]", "fleet:pools[0].count", ConfigCodes.WrongType },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 1, nodes: [a]}]", "fleet:pools[0]", ConfigCodes.Conflict },
        { "fleet:pools", "[{name: cpu, size: c-4, nodes: [a, a]}]", "fleet:pools[0].nodes[1]", ConfigCodes.Duplicate },
        { "fleet:pools", "[{name: cpu, size: c-4, nodes: [\"A_1\"]}]", "fleet:pools[0].nodes[0]", ConfigCodes.BadFormat },
        { "fleet:pools", "[{name: cpu, size: c-4, nodes: [a], min: 3, max: 2}]", "fleet:pools[0].min", ConfigCodes.OutOfRange },
        { "fleet:pools", "[{name: cpu, size: c-4, nodes: [a, b, c], max: 2}]", "fleet:pools[0]", ConfigCodes.OutOfRange },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 2, autoscale: true}]", "fleet:pools[0].autoscale", ConfigCodes.Conflict },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 1, autoscale: maybe}]", "fleet:pools[0].autoscale", ConfigCodes.WrongType },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 1}, {name: cpu, size: c-8, count: 1}]", "fleet:pools[1].name", ConfigCodes.Duplicate },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 1, gpu: true}]", "fleet:pools[0].size", ConfigCodes.Conflict },
        { "fleet:pools", "[{name: gpu, size: gpu-h100x1-80gb, count: 1}]", "fleet:pools[0].size", ConfigCodes.Conflict },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 1, gpuLayers: 20}]", "fleet:pools[0].gpuLayers", ConfigCodes.Conflict },
        { "fleet:pools", "[{name: cpu, size: c-4, cnt: 1}]", "fleet:pools[0].cnt", ConfigCodes.UnknownKey },
        { "fleet:model", null, "fleet:model", ConfigCodes.Missing },
        { "fleet:model", "{sha256: \"" + new string('a', 64) + "\"}", "fleet:model.url", ConfigCodes.Missing },
        { "fleet:model", "{url: \"http://example.com/m.gguf\", sha256: \"" + new string('a', 64) + "\"}", "fleet:model.url", ConfigCodes.BadFormat },
        { "fleet:model", "{url: \"https://example.com/m.bin\", sha256: \"" + new string('a', 64) + "\"}", "fleet:model.url", ConfigCodes.BadFormat },
        { "fleet:model", "{url: \"https://example.com/m.gguf\", sha256: abc}", "fleet:model.sha256", ConfigCodes.BadFormat },
        { "fleet:model", "{url: \"https://example.com/m.gguf\", sha256: \"" + new string('a', 64) + "\", contextSize: 100}", "fleet:model.contextSize", ConfigCodes.OutOfRange },
        { "fleet:model", "{url: \"https://example.com/m.gguf\", sha256: \"" + new string('a', 64) + "\", parallel: 0}", "fleet:model.parallel", ConfigCodes.OutOfRange },
        { "fleet:images", null, "fleet:images", ConfigCodes.Missing },
        { "fleet:images", "{agent: \"registry.example.com/agent:latest\", gateway: \"g:1\"}", "fleet:images.agent", ConfigCodes.NotAllowed },
        { "fleet:images", "{agent: \"registry.example.com/agent\", gateway: \"g:1\"}", "fleet:images.agent", ConfigCodes.NotAllowed },
        { "fleet:images", "{agent: \"a:1\"}", "fleet:images.gateway", ConfigCodes.Missing },
        { "fleet:images", "{agent: \"a:1\", gateway: \"g:1\", caddy: \"caddy:latest\"}", "fleet:images.caddy", ConfigCodes.NotAllowed },
        { "fleet:apiKeys", "[{name: ci, key: \"0123456789abcdef0123456789abcdef\"}]", "fleet:apiKeys", ConfigCodes.NotSecret },
        { "digitalocean:token", "dop_v1_plaintext", "digitalocean:token", ConfigCodes.NotSecret },
        { "fleet:regoin", "fra1", "fleet:regoin", ConfigCodes.UnknownKey },
        { "fleet:policy", "{enforcement: sometimes}", "fleet:policy.enforcement", ConfigCodes.NotAllowed },
        { "fleet:policy", "{maxNodes: 0}", "fleet:policy.maxNodes", ConfigCodes.OutOfRange },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Rejects_malformed_config_naming_the_key_and_the_fix(string key, string? yaml, string path, string code)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile((key, yaml)));

        Assert.Null(result.Program);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Path == path && d.Code == code);
        Assert.Equal(Severity.Error, diagnostic.Severity);
        Assert.Contains(path, diagnostic.Message + diagnostic.Fix);
        Assert.StartsWith(diagnostic.Fix.StartsWith("openssl", StringComparison.Ordinal) ? "openssl" : "pulumi config ", diagnostic.Fix);
    }

    public static TheoryData<string, string?> Accepted => new()
    {
        { "fleet:orchestrator", "swarm" },
        { "fleet:orchestrator", "k3s" },
        { "fleet:orchestrator", null },
        { "fleet:adminCidrs", "[\"203.0.113.0/24\", \"2001:db8::/48\"]" },
        { "fleet:networkCidr", "192.168.64.0/20" },
        { "fleet:manager", null },
        { "fleet:pools", "[{name: cpu, size: c-4, nodes: [1, 2, a3], min: 1, max: 5, autoscale: true}]" },
        { "fleet:pools", "[{name: cpu, size: c-4, count: \"3\"}]" },
        { "fleet:pools", "[{name: cpu, size: c-4, count: 0}]" },
        { "fleet:images", "{agent: \"registry.example.com/agent@sha256:" + new string('1', 64) + "\", gateway: \"localhost:5000/gateway:1.2\"}" },
        { "fleet:apiKeys", "{secure: v1:abcdef}" },
        { "digitalocean:token", "{secure: v1:abcdef}" },
        { "fleet:domain", null },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepts_valid_config(string key, string? yaml)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile((key, yaml)));

        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(
            ("fleet:cloud", "aws"), ("fleet:region", null), ("fleet:adminCidrs", "[\"nope\"]"), ("fleet:pools", "[{name: cpu, size: c-4, count: -2}]")));

        Assert.Null(result.Program);
        Assert.Equal(["fleet:adminCidrs[0]", "fleet:cloud", "fleet:pools[0].count", "fleet:region"],
            result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_but_well_formed_size_is_a_warning_naming_the_table_date()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:pools", "[{name: cpu, size: s-48vcpu-96gb-new, count: 1}]")));

        Assert.NotNull(result.Program);
        var warning = Assert.Single(result.Diagnostics, d => d.Code == ConfigCodes.UnknownSize);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("2026-11-01", warning.Message);
    }

    [Fact]
    public void A_gpu_pool_on_hetzner_is_an_error_that_says_hetzner_has_no_gpus()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:cloud", "hetzner"), ("fleet:region", "fsn1"),
            ("fleet:manager", "{size: cx23}"), ("fleet:pools", "[{name: gpu, size: cx53, count: 1, gpu: true}]")));

        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:pools[0].size" && d.Message.Contains("no GPU server types", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_region_lists_the_valid_choices()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:region", "mars1")));

        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:region");
        Assert.Contains("fra1", d.Message);
        Assert.Contains("nyc3", d.Message);
        Assert.Equal("pulumi config set fleet:region ams3", d.Fix);
    }

    [Fact]
    public void An_api_key_value_never_appears_in_a_message()
    {
        const string key = "short-secret-key";
        var raw = EngineConfigSource.Parse($$"""{"fleet:cloud":"digitalocean","fleet:apiKeys":"[{\"name\":\"ci\",\"key\":\"{{key}}\"}]"}""", "dev", "fleet");

        var (_, diagnostics) = FleetConfigReader.Read(raw);

        var d = Assert.Single(diagnostics, d => d.Path == "fleet:apiKeys[0].key");
        Assert.DoesNotContain(key, d.ToString());
    }

    [Fact]
    public void A_json_string_stored_by_pulumi_config_set_is_read_as_json()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:pools", "'[{\"name\":\"cpu\",\"size\":\"c-4\",\"count\":1}]'")));

        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
        Assert.Equal("c-4", result.Config!.Pools[0].Size);
    }

    [Fact]
    public void Stacks_get_different_default_networks_so_they_can_share_a_digitalocean_account()
    {
        var defaults = new[] { "dev", "prod", "staging", "test" }.Select(s => NetworkReader.DefaultNetworkCidr("fleet", s)).ToArray();

        Assert.Equal(defaults.Length, defaults.Distinct().Count());
        Assert.Equal(defaults[0], NetworkReader.DefaultNetworkCidr("fleet", "dev"));
        foreach (var cidr in defaults)
        {
            Assert.True(NetworkReader.TryParse(cidr, out var net), cidr);
            Assert.Equal(20, net.PrefixLength);
            Assert.DoesNotContain(NetworkReader.ReservedRanges, r => System.Net.IPNetwork.Parse(r).Contains(net.BaseAddress));
        }
    }

    [Fact]
    public void Nested_fix_commands_use_path_syntax()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:pools", "[{name: cpu, size: c-4, count: -1}]")));

        Assert.Equal("pulumi config set --path 'fleet:pools[0].count' 2", Assert.Single(result.Diagnostics).Fix);
    }
}
