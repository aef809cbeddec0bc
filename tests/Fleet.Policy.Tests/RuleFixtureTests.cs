namespace Fleet.Policy.Tests;

/// <summary>For every rule a passing and a failing fixture, as scanners keep them; plus the cases their anchors miss.</summary>
public class RuleFixtureTests
{
    [Fact]
    public void The_compliant_fleet_passes_every_mandatory_rule() =>
        Assert.DoesNotContain(Fixture.Compliant().Run(), v => v.Level == Model.EnforcementLevel.Mandatory);

    // FP001
    [Fact]
    public void FP001_a_server_outside_every_firewall_fails() =>
        Assert.Equal("worker-cpu-1", Assert.Single(Fixture.Compliant().Set("worker-cpu-1", "tags", "[\"${tag-worker.name}\"]").Run("FP001")).Resource);

    [Fact]
    public void FP001_a_firewall_attached_by_tag_literal_or_droplet_id_covers()
    {
        var byLiteralTag = Fixture.Compliant().Set("worker-cpu-1", "tags", "[\"fleet-t-node\"]");
        var byId = Fixture.Compliant().Set("worker-cpu-1", "tags", "[]").Set("firewall-admin-nodes", "dropletIds",
            "[{\"fn::invoke\":{\"function\":\"std:index:parseint\",\"arguments\":{\"input\":\"${worker-cpu-1.id}\"},\"return\":\"result\"}}]");

        Assert.Empty(byLiteralTag.Run("FP001"));
        Assert.Empty(byId.Run("FP001"));
    }

    // FP002
    [Fact]
    public void FP002_ssh_from_the_admin_cidr_or_a_subset_passes() =>
        Assert.Empty(Fixture.Compliant().Set("firewall-admin-nodes", "inboundRules",
            """[{"protocol":"tcp","portRange":"22","sourceAddresses":["203.0.113.7/32","10.210.0.0/24"]}]""").Run("FP002"));

    [Theory]
    [InlineData("22", "[\"0.0.0.0/0\"]")]
    [InlineData("1-1000", "[\"198.51.100.0/24\"]")]               // a range containing 22
    [InlineData("22", "[\"0.0.0.0/1\",\"128.0.0.0/1\"]")]        // the world in two halves
    [InlineData("22", "[\"::/0\"]")]
    [InlineData("22", "[\"2000::/3\"]")]                           // all global unicast IPv6
    [InlineData("2376", "[\"203.0.113.0/24\"]")]                   // wider than the admin /32
    [InlineData("2377", "[\"203.0.113.7/32\"]")]                   // a cluster port: private network only
    [InlineData("10000-10300", "[\"0.0.0.0/0\"]")]                 // contains the kubelet
    public void FP002_admin_and_cluster_ports_beyond_their_plane_fail(string ports, string sources)
    {
        var v = Assert.Single(Fixture.Compliant().Set("firewall-admin-nodes", "inboundRules",
            $$"""[{"protocol":"tcp","portRange":"{{ports}}","sourceAddresses":{{sources}}}]""").Run("FP002"));
        Assert.Equal("firewall-admin-nodes", v.Resource);
    }

    [Fact]
    public void FP002_an_admin_allow_list_that_is_the_internet_in_disguise_is_not_trusted()
    {
        var f = Fixture.Compliant().Set("firewall-admin-nodes", "inboundRules",
            """[{"protocol":"tcp","portRange":"22","sourceAddresses":["0.0.0.0/1","128.0.0.0/1"]}]""");
        f.Context = f.Context with { AdminCidrs = ["0.0.0.0/1", "128.0.0.0/1"] };

        Assert.Single(f.Run("FP002"));
    }

    // FP003
    [Fact]
    public void FP003_a_public_port_other_than_web_fails() =>
        Assert.Single(Fixture.Compliant().Set("firewall-public-manager", "inboundRules",
            """[{"protocol":"tcp","portRange":"3000","sourceAddresses":["0.0.0.0/1","128.0.0.0/1"]}]""").Run("FP003"));

    [Fact]
    public void FP003_web_ports_open_on_a_worker_fail()
    {
        var violations = Fixture.Compliant().Set("firewall-public-manager", "tags", "[\"${tag-node.name}\"]").Run("FP003");
        Assert.Equal(2, violations.Count); // 80 and 443
        Assert.All(violations, v => Assert.Contains("worker-cpu-1", v.Message));
        Assert.All(violations, v => Assert.DoesNotContain("manager,", v.Message));
    }

    [Fact]
    public void FP003_an_all_ports_rule_fails_even_from_the_private_network() =>
        Assert.Single(Fixture.Compliant().Set("firewall-private-nodes", "inboundRules",
            """[{"protocol":"tcp","portRange":"1-65535","sourceAddresses":["10.210.0.0/20"]}]""").Run("FP003"));

    [Fact]
    public void FP003_web_ports_on_the_manager_pass() => Assert.Empty(Fixture.Compliant().Run("FP003"));

    // FP004
    [Fact]
    public void FP004_missing_dns_egress_fails_for_every_node()
    {
        var violations = Fixture.Compliant().Set("firewall-egress-nodes", "outboundRules",
            """[{"protocol":"tcp","portRange":"443","destinationAddresses":["0.0.0.0/0"]},{"protocol":"tcp","portRange":"80","destinationAddresses":["0.0.0.0/0"]},{"protocol":"udp","portRange":"123","destinationAddresses":["0.0.0.0/0"]}]""").Run("FP004");
        Assert.Equal(["manager", "worker-cpu-1"], violations.Select(v => v.Resource));
        Assert.All(violations, v => Assert.Contains("53/udp", v.Message));
    }

    [Fact]
    public void FP004_egress_only_to_part_of_the_internet_does_not_count() =>
        Assert.Equal(2, Fixture.Compliant().Set("firewall-egress-nodes", "outboundRules",
            """[{"protocol":"udp","portRange":"1-65535","destinationAddresses":["0.0.0.0/1"]},{"protocol":"tcp","portRange":"1-65535","destinationAddresses":["0.0.0.0/0"]}]""").Run("FP004").Count);

    [Fact]
    public void FP004_the_compliant_egress_passes() => Assert.Empty(Fixture.Compliant().Run("FP004"));

    // FP005
    [Fact]
    public void FP005_a_droplet_outside_the_vpc_fails() =>
        Assert.Equal("manager", Assert.Single(Fixture.Compliant().Set("manager", "vpcUuid", "null").Run("FP005")).Resource);

    [Fact]
    public void FP005_droplets_in_the_vpc_pass() => Assert.Empty(Fixture.Compliant().Run("FP005"));

    // FP006
    [Fact]
    public void FP006_no_ssh_keys_fails() => Assert.Single(Fixture.Compliant().Set("manager", "sshKeys", "[]").Run("FP006"));

    [Theory]
    [InlineData("""{"fn::toJSON":{"ssh_pwauth":true}}""")]
    [InlineData("""{"fn::toJSON":{"users":[{"name":"ops","lock_passwd":false}]}}""")]
    [InlineData("\"#cloud-config\\nchpasswd:\\n  expire: false\\n\"")]
    public void FP006_cloud_init_enabling_passwords_fails(string userData) =>
        Assert.Single(Fixture.Compliant().Set("manager", "userData", userData).Run("FP006"));

    [Fact]
    public void FP006_keys_and_ssh_pwauth_false_pass() => Assert.Empty(Fixture.Compliant().Run("FP006"));

    // FP007
    [Fact]
    public void FP007_a_secret_output_in_user_data_marked_secret_passes() => Assert.Empty(Fixture.Compliant().Run("FP007"));

    [Theory]
    [InlineData("\"token=${swarm-worker-token.stdout}\"")]
    [InlineData("\"SWARM=SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p73s1dx5in4tatdymyhg9hu2\"")]
    [InlineData("\"K10b9c3a1f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2::server:abcdef\"")]
    [InlineData("\"-----BEGIN OPENSSH PRIVATE KEY-----\\nabc\\n-----END OPENSSH PRIVATE KEY-----\"")]
    [InlineData("\"export DO=dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"HCLOUD_TOKEN=aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3gH5jK7mN9pQ1sT3vW5yZ7bC9dF1gH3j\"")]
    [InlineData("\"password: Zx9Qm2Lp7Vt4Rk8Wn3Yh6Bc1Dg5Fj0Sa\"")]
    public void FP007_secret_material_in_unmarked_user_data_fails(string userData)
    {
        var v = Assert.Single(Fixture.Compliant().Set("worker-cpu-1", "userData", userData).Run("FP007"));
        Assert.DoesNotContain("SWMTKN-1-3pu6", v.Message); // the value is never echoed
    }

    [Fact]
    public void FP007_ordinary_user_data_passes() =>
        Assert.Empty(Fixture.Compliant().Set("worker-cpu-1", "userData", "\"#cloud-config\\npackages: [docker.io]\\nruncmd: [[sh, -c, 'echo ${HOME}']]\\n\"").Run("FP007"));

    // FP008
    [Theory]
    [InlineData("registry.example.com/agent:latest")]
    [InlineData("registry.example.com:5000/agent")]
    public void FP008_unpinned_images_fail(string image) =>
        Assert.Single(Fixture.Compliant().Set("service-agent", "taskSpec", $$$"""{"containerSpec":{"image":"{{{image}}}"}}""").Run("FP008"));

    [Fact]
    public void FP008_an_unpinned_image_in_a_kubernetes_daemonset_fails() =>
        Assert.Single(Fixture.Compliant().Add("agent-ds", "kubernetes:apps/v1:DaemonSet",
            """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"registry.example.com/agent:1"},{"name":"b","image":"busybox"}]}}}}""").Run("FP008"));

    [Fact]
    public void FP008_digest_pinned_images_pass() =>
        Assert.Empty(Fixture.Compliant().Set("service-agent", "taskSpec", """{"containerSpec":{"image":"registry.example.com:5000/agent@sha256:0123"}}""").Run("FP008"));

    // FP009
    [Fact]
    public void FP009_regions_and_sizes_outside_the_allow_lists_fail()
    {
        var f = Fixture.Compliant();
        f.Context = f.Context with { AllowedRegions = ["ams3"], AllowedSizes = ["c-4"] };
        var violations = f.Run("FP009");
        Assert.Equal(3, violations.Count); // both regions, the manager's size
    }

    [Fact]
    public void FP009_no_allow_lists_means_no_findings() => Assert.Empty(Fixture.Compliant().Run("FP009"));

    // FP010
    [Fact]
    public void FP010_a_gpu_size_on_a_cloud_without_gpus_fails()
    {
        var f = Fixture.Compliant().Set("worker-cpu-1", "size", "\"gpu-h100x1-80gb\"");
        f.Context = f.Context with { Cloud = "hetzner", CloudHasGpuSizes = false };
        Assert.Single(f.Run("FP010"));
    }

    [Fact]
    public void FP010_a_gpu_size_where_gpus_exist_passes() =>
        Assert.Empty(Fixture.Compliant().Set("worker-cpu-1", "size", "\"gpu-h100x1-80gb\"").Run("FP010"));

    // FP011
    [Fact]
    public void FP011_over_the_node_count_and_the_cost_ceiling_fails()
    {
        var f = Fixture.Compliant();
        f.Context = f.Context with { MaxNodes = 1, MaxMonthlyCost = 100 };
        var violations = f.Run("FP011");
        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.Message.Contains("108.00 USD/month", StringComparison.Ordinal));
    }

    [Fact]
    public void FP011_within_the_limits_passes()
    {
        var f = Fixture.Compliant();
        f.Context = f.Context with { MaxNodes = 2, MaxMonthlyCost = 108 };
        Assert.Empty(f.Run("FP011"));
    }

    // FP012
    [Fact]
    public void FP012_a_domain_without_a_tls_site_fails()
    {
        var f = Fixture.Compliant();
        f.Context = f.Context with { Domain = "example.com" };
        f.Add("caddyfile", "docker:index/serviceConfig:ServiceConfig", $$"""{"data":"{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":80 {\n\treverse_proxy gateway:8080\n}\n"))}}"}""");
        Assert.Single(f.Run("FP012"));
    }

    [Fact]
    public void FP012_a_domain_with_its_tls_site_passes()
    {
        var f = Fixture.Compliant();
        f.Context = f.Context with { Domain = "example.com" };
        f.Add("caddyfile", "docker:index/serviceConfig:ServiceConfig", $$"""{"data":"{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("api.example.com {\n\treverse_proxy gateway:8080\n}\n"))}}"}""");
        Assert.Empty(f.Run("FP012"));
    }

    [Fact]
    public void FP012_a_quoted_tls_site_passes_and_a_longer_name_does_not()
    {
        var quoted = Fixture.Compliant();
        quoted.Context = quoted.Context with { Domain = "example.com" };
        quoted.Add("caddyfile", "docker:index/serviceConfig:ServiceConfig", $$"""{"data":"{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\"api.example.com\" {\n\treverse_proxy gateway:8080\n}\n"))}}"}""");
        var other = Fixture.Compliant();
        other.Context = other.Context with { Domain = "example.com" };
        other.Add("caddyfile", "docker:index/serviceConfig:ServiceConfig", $$"""{"data":"{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\"evil-api.example.com\" {\n}\n"))}}"}""");

        Assert.Empty(quoted.Run("FP012"));
        Assert.Single(other.Run("FP012"));
    }

    // FP013
    [Fact]
    public void FP013_no_domain_is_an_advisory_finding_only()
    {
        var v = Assert.Single(Fixture.Compliant().Run("FP013"));
        Assert.Equal(Model.EnforcementLevel.Advisory, v.Level);
    }

    [Fact]
    public void FP013_a_domain_means_no_finding()
    {
        var f = Fixture.Compliant();
        f.Context = f.Context with { Domain = "example.com" };
        Assert.Empty(f.Run("FP013"));
    }

    [Fact]
    public void FP001_hetzner_firewalls_cover_servers_by_label_selector_only_when_every_term_matches()
    {
        var f = new Fixture();
        f.Context = f.Context with { Cloud = "hetzner", CloudHasGpuSizes = false };
        f.Add("manager", "hcloud:index/server:Server", """{"serverType":"cx23","labels":{"fleet.stack":"t","fleet.role":"manager"},"networks":[{"networkId":1}],"sshKeys":["k"]}""");
        f.Add("worker", "hcloud:index/server:Server", """{"serverType":"cx23","labels":{"fleet.stack":"other","fleet.role":"worker"},"networks":[{"networkId":1}],"sshKeys":["k"]}""");
        f.Add("fw", "hcloud:index/firewall:Firewall", """{"rules":[],"applyTos":[{"labelSelector":"fleet.stack=t"}]}""");

        Assert.Equal("worker", Assert.Single(f.Run("FP001")).Resource);
    }

    [Fact]
    public void Advisory_enforcement_downgrades_every_finding()
    {
        var f = Fixture.Compliant().Set("manager", "sshKeys", "[]");
        f.Context = f.Context with { Mandatory = false };
        Assert.All(f.Run(), v => Assert.Equal(Model.EnforcementLevel.Advisory, v.Level));
    }
}
