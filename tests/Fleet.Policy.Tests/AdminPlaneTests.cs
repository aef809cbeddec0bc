using Fleet.Policy.Net;

namespace Fleet.Policy.Tests;

/// <summary>FP002/FP003 over admin allow-lists that are the internet in disguise: IPv4 embedded in IPv6, or many narrow ranges.</summary>
public class AdminPlaneTests
{
    [Theory]
    [InlineData("::ffff:0:0/96")]
    [InlineData("::/96")]
    [InlineData("64:ff9b::/96")]
    [InlineData("2001::/32")]
    [InlineData("2002::/32")]
    public void FP002_ssh_open_to_an_ipv4_embedding_admin_range_fails(string cidr)
    {
        var f = Fixture.Compliant().Set("firewall-admin-nodes", "inboundRules",
            $$"""[{"protocol":"tcp","portRange":"22","sourceAddresses":["{{cidr}}"]}]""");
        f.Context = f.Context with { AdminCidrs = [cidr] };

        var v = Assert.Single(f.Run("FP002"));
        Assert.Contains(cidr, v.Message);
        Assert.Contains("fleet:adminCidrs entries are trusted only when none embeds IPv4", v.Message);
    }

    [Fact]
    public void A_manager_reaching_its_own_admin_ports_is_no_exposure_but_its_address_on_other_servers_is()
    {
        var self = Fixture.Compliant().Add("firewall-self-manager", "digitalocean:index/firewall:Firewall",
            """{"tags":["${tag-manager.name}"],"inboundRules":[{"protocol":"tcp","portRange":"2376","sourceAddresses":["${manager.ipv4Address}"]}]}""");
        Assert.Empty(self.Run("FP002"));
        Assert.Empty(self.Run("FP003"));

        // The same source on a firewall that binds every node opens the workers to the manager's public address.
        var others = Fixture.Compliant().Set("firewall-admin-nodes", "inboundRules",
            """[{"protocol":"tcp","portRange":"22","sourceAddresses":["${manager.ipv4Address}"]}]""");
        Assert.Single(others.Run("FP002"));
        Assert.Single(others.Run("FP003"));
    }

    [Fact]
    public void FP002_ssh_open_to_every_slash_16_listed_separately_fails()
    {
        var all = Enumerable.Range(0, 65536).Select(n => $"{n >> 8}.{n & 255}.0.0/16").ToArray();
        var f = Fixture.Compliant().Set("firewall-admin-nodes", "inboundRules",
            "[{\"protocol\":\"tcp\",\"portRange\":\"22\",\"sourceAddresses\":[" + string.Join(",", all.Select(c => $"\"{c}\"")) + "]}]");
        f.Context = f.Context with { AdminCidrs = all };

        Assert.Single(f.Run("FP002"));
    }

    [Fact]
    public void FP002_two_admin_halves_of_one_slash_16_are_trusted()
    {
        var f = Fixture.Compliant().Set("firewall-admin-nodes", "inboundRules",
            """[{"protocol":"tcp","portRange":"22","sourceAddresses":["198.51.0.0/17","198.51.128.0/17"]}]""");
        f.Context = f.Context with { AdminCidrs = ["198.51.0.0/17", "198.51.128.0/17"] };

        Assert.Empty(f.Run("FP002"));
    }

    [Theory]
    [InlineData("2001:db8::/48", false)]
    [InlineData("2001::/32", true)]
    [InlineData("2002:cb00:7107::/48", true)]
    [InlineData("::ffff:203.0.113.7/128", true)]
    [InlineData("::1/128", true)]
    [InlineData("203.0.113.7/32", false)]
    public void Ipv4_translation_blocks_are_found_by_overlap(string cidr, bool embeds) =>
        Assert.Equal(embeds, Ipv4Translation.Find(IpRange.Parse(cidr)) is not null);
}
