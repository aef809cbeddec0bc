using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;
using Fleet.Policy.Net;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>
/// Admin allow-lists that open SSH and the Docker API to the world in disguise: the config reader refuses each, and the
/// policy pack (which shares <see cref="AdminPlane"/>) trusts exactly what the reader accepts.
/// </summary>
public class AdminPlaneAttackTests
{
    public static TheoryData<string, string> EmbedsIpv4 => new()
    {
        { "::ffff:0:0/96", "IPv4-mapped" },
        { "::/96", "IPv4-compatible" },
        { "64:ff9b::/96", "NAT64" },
        { "64:ff9b:1::/48", "NAT64" },
        { "2001::/32", "Teredo" },
        { "2002::/32", "6to4" },
        { "::ffff:0:0:0/96", "SIIT" },
        { "::ffff:203.0.113.7/128", "IPv4-mapped" },
        { "::/64", "IPv4-compatible" },
    };

    [Theory]
    [MemberData(nameof(EmbedsIpv4))]
    public void An_admin_range_that_embeds_ipv4_is_refused_naming_the_block(string cidr, string what)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:adminCidrs", $"[\"{cidr}\"]")));

        Assert.Null(result.Program);
        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:adminCidrs[0]");
        Assert.Equal(ConfigCodes.NotAllowed, d.Code);
        Assert.Contains(cidr, d.Message);
        Assert.Contains(what, d.Message);
        Assert.Equal("pulumi config set --path 'fleet:adminCidrs[0]' 203.0.113.7/32", d.Fix);
    }

    [Fact]
    public void Sixty_five_thousand_separate_slash_16s_are_refused_as_a_whole()
    {
        var all = Enumerable.Range(0, 65536).Select(n => $"\"{n >> 8}.{n & 255}.0.0/16\"");
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:adminCidrs", $"[{string.Join(", ", all)}]")));

        Assert.Null(result.Program);
        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(("fleet:adminCidrs", ConfigCodes.OutOfRange), (d.Path, d.Code));
        Assert.Contains("65536 IPv4 entries together span 4294967296 addresses, more than one /16 (65536 addresses)", d.Message);
        Assert.Equal("pulumi config set fleet:adminCidrs '[\"203.0.113.7/32\"]'", d.Fix);
    }

    [Theory]
    [InlineData("[\"198.51.0.0/16\", \"203.0.0.0/16\"]", "IPv4")]
    [InlineData("[\"2001:db8::/32\", \"2001:db9::/32\"]", "IPv6")]
    public void Two_entries_that_each_fit_but_together_exceed_the_budget_are_refused(string list, string family)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:adminCidrs", list)));

        var d = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("fleet:adminCidrs", d.Path);
        Assert.Contains($"2 {family} entries", d.Message);
    }

    [Theory]
    [InlineData("[\"198.51.0.0/17\", \"198.51.128.0/17\", \"2001:db8::/32\"]")] // exactly the budget of each family
    [InlineData("[\"203.0.0.0/16\", \"203.0.113.0/24\", \"203.0.0.0/16\"]")]     // repeats and subsets count once
    [InlineData("[\"203.0.113.7/32\", \"2001:db8:1::/48\", \"2a01:4f8::/64\"]")]
    public void Narrow_lists_within_the_budget_are_accepted(string list)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:adminCidrs", list)));

        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
    }

    public static TheoryData<string> Lists => new()
    {
        "[\"203.0.113.7/32\"]", "[\"::ffff:0:0/96\"]", "[\"::/96\"]", "[\"64:ff9b::/96\"]", "[\"2001::/32\"]", "[\"2002::/32\"]",
        "[\"198.51.0.0/16\", \"203.0.0.0/16\"]", "[\"198.51.0.0/17\", \"198.51.128.0/17\"]", "[\"2001:db8::/32\"]", "[\"2001:db8::/31\"]",
        "[\"10.0.0.0/8\"]", "[\"0.0.0.0/1\", \"128.0.0.0/1\"]", "[\"2000::/3\"]", "[\"2001:db8:1::/48\", \"203.0.113.0/24\"]",
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void The_policy_pack_trusts_exactly_the_lists_the_config_reader_accepts(string list)
    {
        var cidrs = System.Text.Json.Nodes.JsonNode.Parse(list)!.AsArray().Select(n => (string)n!).ToArray();
        var accepted = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:adminCidrs", list))).Program is not null;
        var trusted = AdminPlane.Trusted(cidrs);

        Assert.Equal(accepted, cidrs.All(c => trusted.Covers(IpRange.Parse(c))));
    }
}
