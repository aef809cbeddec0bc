using System.Text.Json.Nodes;
using Fleet.Policy.Model;
using Fleet.Policy.Net;

namespace Fleet.Policy.Topology;

/// <summary>
/// Servers and firewall rules read from the program's resources (DigitalOcean droplets and firewalls bound by tag or id;
/// Hetzner servers and firewalls bound by label selector or server), resolved once per policy run.
/// </summary>
public sealed class FleetTopology
{
    public IReadOnlyList<ServerView> Servers { get; }

    public IReadOnlyList<FirewallRuleView> Rules { get; }

    private readonly HashSet<string> _covered = new(StringComparer.Ordinal);

    public FleetTopology(PolicyProgram program)
    {
        Servers = program.Resources.Select(r => Server(program, r)).Where(s => s is not null).ToArray()!;
        var rules = new List<FirewallRuleView>();
        foreach (var firewall in program.Resources.Where(IsFirewall))
        {
            var targets = Targets(program, firewall, Servers);
            _covered.UnionWith(targets);
            rules.AddRange(FirewallRules(program, firewall, targets));
        }
        Rules = rules;
    }

    /// <summary>The firewall rules that apply to a server.</summary>
    public IEnumerable<FirewallRuleView> RulesFor(ServerView server) => Rules.Where(r => r.TargetServers.Contains(server.Resource.Name));

    /// <summary>True when some firewall resource binds to the server, even one without rules.</summary>
    public bool IsCovered(ServerView server) => _covered.Contains(server.Resource.Name);

    private static ServerView? Server(PolicyProgram program, PolicyResource r) => (r.Package, r.Kind) switch
    {
        ("digitalocean", "Droplet") => new ServerView(r,
            Json.Strings(r.Inputs["tags"]).Select(t => Resolve(program, t)).ToArray(),
            Json.Str(r.Inputs["size"]), Json.Str(r.Inputs["region"]),
            r.Inputs["vpcUuid"] is not null, Json.Items(r.Inputs["sshKeys"]).Any(), r.Inputs["userData"]),
        ("hcloud", "Server") => new ServerView(r,
            (r.Inputs["labels"] as JsonObject ?? []).Select(kv => $"{kv.Key}={Json.Str(kv.Value)}").ToArray(),
            Json.Str(r.Inputs["serverType"]), Json.Str(r.Inputs["location"]),
            Json.Items(r.Inputs["networks"]).Any() || program.Resources.Any(n => n.Kind == "ServerNetwork" && References(n.Inputs["serverId"], r.Name)),
            Json.Items(r.Inputs["sshKeys"]).Any(), r.Inputs["userData"]),
        _ => null,
    };

    private static bool IsFirewall(PolicyResource r) => r.Kind == "Firewall" && r.Package is "digitalocean" or "hcloud";

    private static IEnumerable<FirewallRuleView> FirewallRules(PolicyProgram program, PolicyResource f, HashSet<string> targets)
    {
        if (f.Package == "digitalocean")
        {
            foreach (var rule in Json.Items(f.Inputs["inboundRules"]).OfType<JsonObject>())
                yield return new FirewallRuleView(f, true, Json.Str(rule["protocol"]) ?? "tcp", PortRange.Parse(Json.Str(rule["portRange"])),
                    Json.Strings(rule["sourceAddresses"]).ToArray(), Json.Strings(rule["sourceTags"]).Select(t => Resolve(program, t)).ToArray(), targets);
            foreach (var rule in Json.Items(f.Inputs["outboundRules"]).OfType<JsonObject>())
                yield return new FirewallRuleView(f, false, Json.Str(rule["protocol"]) ?? "tcp", PortRange.Parse(Json.Str(rule["portRange"])),
                    Json.Strings(rule["destinationAddresses"]).ToArray(), Json.Strings(rule["destinationTags"]).Select(t => Resolve(program, t)).ToArray(), targets);
        }
        else
        {
            foreach (var rule in Json.Items(f.Inputs["rules"]).OfType<JsonObject>())
            {
                var inbound = Json.Str(rule["direction"]) != "out";
                yield return new FirewallRuleView(f, inbound, Json.Str(rule["protocol"]) ?? "tcp", PortRange.Parse(Json.Str(rule["port"])),
                    Json.Strings(rule[inbound ? "sourceIps" : "destinationIps"]).ToArray(), [], targets);
            }
        }
    }

    private static HashSet<string> Targets(PolicyProgram program, PolicyResource f, IReadOnlyList<ServerView> servers)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        if (f.Package == "digitalocean")
        {
            var tags = Json.Strings(f.Inputs["tags"]).Select(t => Resolve(program, t)).ToHashSet(StringComparer.Ordinal);
            foreach (var s in servers.Where(s => s.Resource.Package == "digitalocean"))
                if (s.Tags.Any(tags.Contains) || References(f.Inputs["dropletIds"], s.Resource.Name)) targets.Add(s.Resource.Name);
        }
        else
        {
            foreach (var applyTo in Json.Items(f.Inputs["applyTos"]).OfType<JsonObject>())
            {
                var selector = Json.Str(applyTo["labelSelector"]);
                foreach (var s in servers.Where(s => s.Resource.Package == "hcloud"))
                    if ((selector is not null && SelectorMatches(selector, s.Tags)) || References(applyTo["server"], s.Resource.Name)) targets.Add(s.Resource.Name);
            }
            foreach (var s in servers.Where(s => s.Resource.Package == "hcloud" && References(s.Resource.Inputs["firewallIds"], f.Name))) targets.Add(s.Resource.Name);
            foreach (var a in program.Resources.Where(a => a.Kind == "FirewallAttachment" && References(a.Inputs["firewallId"], f.Name)))
                foreach (var s in servers.Where(s => References(a.Inputs["serverIds"], s.Resource.Name))) targets.Add(s.Resource.Name);
        }
        return targets;
    }

    /// <summary>Label selectors as Hetzner writes them: comma-separated <c>key=value</c> terms, all of which must hold.</summary>
    private static bool SelectorMatches(string selector, IReadOnlyList<string> labels) =>
        selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).All(labels.Contains);

    /// <summary><c>${tag.name}</c> of a Tag resource becomes that tag's literal name.</summary>
    private static string Resolve(PolicyProgram program, string value)
    {
        if (!value.StartsWith("${", StringComparison.Ordinal) || !value.EndsWith(".name}", StringComparison.Ordinal)) return value;
        var tag = program.Find(value[2..^6]);
        return tag is { Kind: "Tag" } && Json.Str(tag.Inputs["name"]) is { } name ? name : value;
    }

    private static bool References(JsonNode? node, string resource) =>
        Json.Leaves(node).Any(s => s.Contains("${" + resource + ".", StringComparison.Ordinal) || s == "${" + resource + "}");
}
