using System.Text;
using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP012: with a domain, the API is served over TLS: the edge's configuration names <c>api.&lt;domain&gt;</c> and 443 is open.</summary>
public sealed class TlsWithDomainRule : StackRule
{
    public override string Id => "FP012";
    public override string Name => "tls-when-domain";
    public override string Description => "When fleet:domain is set, the TLS edge serves api.<domain> (ACME certificate) and the manager accepts 443.";

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        if (program.Context.Domain is not { } domain) return;
        var site = $"api.{domain}";
        var edge = program.Resources.Where(r => r.Type == "docker:index/serviceConfig:ServiceConfig").Select(r => Decode(Json.Str(r.Inputs["data"])))
            .Concat(program.Resources.Where(r => r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)).SelectMany(r => Json.Leaves(r.Inputs)));
        if (!edge.Any(text => text is not null && ServesSite(text, site)))
            report.Violation("stack", $"no TLS site for {site}: the API would be served without HTTPS", "let Fleet generate the Caddy configuration for fleet:domain");
        if (!topology.Rules.Any(r => r.Inbound && r.Protocol == "tcp" && r.Ports.Contains(443) && r.TargetServers.Count > 0))
            report.Violation("stack", "no firewall admits 443 to the manager", "add the public plane's 443 rule");
    }

    /// <summary>A site block for exactly <paramref name="site"/>, its address bare or quoted, at the start of a line.</summary>
    private static bool ServesSite(string caddyfile, string site) =>
        caddyfile.Split('\n').Any(line => line == site + " {" || line == $"\"{site}\" {{");

    private static string? Decode(string? base64)
    {
        if (base64 is null) return null;
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(base64)); }
        catch (FormatException) { return null; }
    }
}
