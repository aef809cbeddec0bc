using System.Text.Json.Nodes;
using Fleet.Policy.Model;

namespace Fleet.Policy.Tests;

/// <summary>
/// A compliant two-server DigitalOcean fleet as the policy pack sees it (tags, droplets, the plane firewalls, egress);
/// each test changes one thing and checks the one rule it is about.
/// </summary>
public sealed class Fixture
{
    public const string Vpc = "10.210.0.0/20";
    public const string Admin = "203.0.113.7/32";

    private readonly List<PolicyResource> _resources = [];

    public PolicyContext Context { get; set; } = new("digitalocean", [Admin], Vpc, null, [], [], 100, null, "USD",
        size => size switch { "s-2vcpu-4gb" => 24m, "c-4" => 84m, "gpu-h100x1-80gb" => 2474.70m, _ => null },
        size => size.StartsWith("gpu-", StringComparison.Ordinal), true, true);

    public static Fixture Compliant()
    {
        var f = new Fixture();
        foreach (var tag in new[] { "node", "manager", "worker" }) f.Add($"tag-{tag}", "digitalocean:index/tag:Tag", $$"""{"name":"fleet-t-{{tag}}"}""");
        f.Add("manager", "digitalocean:index/droplet:Droplet", Droplet("s-2vcpu-4gb", "${tag-node.name}", "${tag-manager.name}"));
        f.Add("worker-cpu-1", "digitalocean:index/droplet:Droplet", Droplet("c-4", "${tag-node.name}", "${tag-worker.name}"));
        f.Add("firewall-public-manager", "digitalocean:index/firewall:Firewall", """
            {"tags":["${tag-manager.name}"],"inboundRules":[
              {"protocol":"tcp","portRange":"80","sourceAddresses":["0.0.0.0/0","::/0"]},
              {"protocol":"tcp","portRange":"443","sourceAddresses":["0.0.0.0/0","::/0"]}]}
            """);
        f.Add("firewall-admin-nodes", "digitalocean:index/firewall:Firewall", $$"""
            {"tags":["${tag-node.name}"],"inboundRules":[{"protocol":"tcp","portRange":"22","sourceAddresses":["{{Admin}}"]}]}
            """);
        f.Add("firewall-private-nodes", "digitalocean:index/firewall:Firewall", $$"""
            {"tags":["${tag-node.name}"],"inboundRules":[
              {"protocol":"tcp","portRange":"2377","sourceAddresses":["{{Vpc}}"]},
              {"protocol":"udp","portRange":"4789","sourceAddresses":["{{Vpc}}"]},
              {"protocol":"tcp","portRange":"8080","sourceAddresses":["{{Vpc}}"]}]}
            """);
        f.Add("firewall-egress-nodes", "digitalocean:index/firewall:Firewall", """
            {"tags":["${tag-node.name}"],"outboundRules":[
              {"protocol":"udp","portRange":"53","destinationAddresses":["0.0.0.0/0","::/0"]},
              {"protocol":"tcp","portRange":"53","destinationAddresses":["0.0.0.0/0","::/0"]},
              {"protocol":"udp","portRange":"123","destinationAddresses":["0.0.0.0/0","::/0"]},
              {"protocol":"tcp","portRange":"80","destinationAddresses":["0.0.0.0/0","::/0"]},
              {"protocol":"tcp","portRange":"443","destinationAddresses":["0.0.0.0/0","::/0"]}]}
            """);
        f.Add("service-agent", "docker:index/service:Service", """{"taskSpec":{"containerSpec":{"image":"registry.example.com/agent:0.1.0"}}}""");
        return f;
    }

    public static string Droplet(string size, params string[] tags) =>
        "{\"name\":\"n\",\"region\":\"fra1\",\"size\":\"" + size + "\",\"image\":\"ubuntu-24-04-x64\",\"vpcUuid\":\"${vpc.id}\"," +
        "\"sshKeys\":[\"${ssh-key.fingerprint}\"],\"tags\":[" + string.Join(",", tags.Select(t => $"\"{t}\"")) + "]," +
        """
        "userData":{"fn::secret":{"fn::join":["\n",["#cloud-config",{"fn::toJSON":{"ssh_pwauth":false,"write_files":[{"path":"/etc/fleet/token","content":"${swarm-worker-token.stdout}"}]}}]]}}}
        """;

    public Fixture Add(string name, string type, string json)
    {
        _resources.RemoveAll(r => r.Name == name);
        _resources.Add(new PolicyResource(name, type, (JsonObject)JsonNode.Parse(json)!));
        return this;
    }

    public Fixture Remove(string name)
    {
        _resources.RemoveAll(r => r.Name == name);
        return this;
    }

    /// <summary>Replaces one input of a resource (a JSON value).</summary>
    public Fixture Set(string name, string input, string json)
    {
        var r = _resources.Single(x => x.Name == name);
        r.Inputs[input] = json == "null" ? null : JsonNode.Parse(json);
        return this;
    }

    public IReadOnlyList<PolicyViolation> Run(string? ruleId = null) =>
        PolicyPack.Run(new PolicyProgram(_resources.ToArray(), Context), ruleId is null ? null : PolicyPack.Rules.Where(r => r.Id == ruleId));
}
