using System.Globalization;
using System.Text;

namespace Fleet.Infra.AppLayer;

/// <summary>
/// The Caddyfile for the manager's TLS edge. With a domain: automatic HTTPS for <c>api.&lt;domain&gt;</c> (ACME HTTP-01 or
/// TLS-ALPN, renewal, HTTP→HTTPS redirect — all Caddy's own), HSTS, and a reverse proxy to the gateway that flushes
/// streamed tokens at once. Without a domain: plain HTTP on port 80.
/// </summary>
/// <remarks>
/// Every value from configuration is written as a double-quoted token (<see cref="Quote"/>). Quoting is not enough on
/// its own: Caddy expands <c>{$VAR}</c> even inside quotes and a backtick opens a raw token, so values carrying them are
/// refused here; the config readers refuse them earlier with a message naming the key.
/// </remarks>
public static class CaddyfileBuilder
{
    public static string Build(CaddyEdgeOptions o) => Build(o, null);

    /// <summary>As <see cref="Build(CaddyEdgeOptions)"/>, plus Caddy's metrics when <paramref name="metrics"/> is set.</summary>
    public static string Build(CaddyEdgeOptions o, CaddyMetrics? metrics)
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        if (o.AcmeEmail is not null) sb.Append($"\temail {Quote(o.AcmeEmail, nameof(o.AcmeEmail))}\n");
        if (o.AcmeDirectory is not null) sb.Append($"\tacme_ca {Quote(o.AcmeDirectory, nameof(o.AcmeDirectory))}\n");
        if (o.AcmeRootCertificate is not null) sb.Append($"\tacme_ca_root {Quote(o.AcmeRootCertificate, nameof(o.AcmeRootCertificate))}\n");
        if (o.HttpPort is { } http) sb.Append($"\thttp_port {http.ToString(CultureInfo.InvariantCulture)}\n");
        if (o.HttpsPort is { } https) sb.Append($"\thttps_port {https.ToString(CultureInfo.InvariantCulture)}\n");
        sb.Append("\tadmin off\n");
        // servers > metrics, not the global `metrics` option of Caddy 2.9+: Caddy 2.10 still reads it (with a deprecation
        // notice) and the Caddy the tests run (Debian's 2.6) knows only this form.
        if (metrics is not null) sb.Append("\tservers {\n\t\tmetrics\n\t}\n");
        sb.Append("}\n\n");
        sb.Append(o.Domain is null ? $":{(o.HttpPort ?? 80).ToString(CultureInfo.InvariantCulture)} {{\n" : $"{Quote("api." + o.Domain, nameof(o.Domain))} {{\n");
        if (o.Domain is not null) sb.Append("\theader Strict-Transport-Security \"max-age=31536000; includeSubDomains\"\n");
        if (o.ControlUpstream is not null)
        {
            // The control service's webhook, and nothing else of it: its read endpoints (operations, stacks, metrics)
            // would otherwise answer the world, because they trust private source addresses and Caddy's is one. Its own
            // limit is 64 KiB (stacks/README.md); Caddy refuses more before forwarding.
            sb.Append("\t@webhook {\n\t\tmethod POST\n\t\tpath /v1/scale\n\t}\n");
            sb.Append("\thandle @webhook {\n");
            sb.Append("\t\trequest_body {\n\t\t\tmax_size 64KB\n\t\t}\n");
            sb.Append($"\t\treverse_proxy {Quote(o.ControlUpstream, nameof(o.ControlUpstream))}\n");
            sb.Append("\t}\n");
        }
        // Only the OpenAI API is public: the gateway's /admin, /metrics, /health and the agents' heartbeat endpoint
        // stay on the private network.
        sb.Append("\t@api {\n\t\tpath /v1/*\n\t\tnot path /v1/agents/*\n\t}\n");
        sb.Append("\thandle @api {\n");
        sb.Append($"\t\treverse_proxy {Quote(o.Upstream, nameof(o.Upstream))} {{\n");
        // Server-sent events must reach the client token by token.
        sb.Append("\t\t\tflush_interval -1\n");
        sb.Append("\t\t}\n");
        sb.Append("\t}\n");
        sb.Append("\thandle {\n\t\trespond 404\n\t}\n");
        sb.Append("}\n");
        if (metrics is not null)
        {
            // Plain HTTP on a port of its own; never on the public plane (not published on k3s, firewalled on Swarm).
            sb.Append($"\nhttp://:{metrics.Port.ToString(CultureInfo.InvariantCulture)} {{\n");
            if (metrics.Bind is not null) sb.Append($"\tbind {Quote(metrics.Bind, nameof(metrics.Bind))}\n");
            sb.Append("\thandle /metrics {\n\t\tmetrics\n\t}\n");
            sb.Append("\thandle {\n\t\trespond 404\n\t}\n");
            sb.Append("}\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// A double-quoted Caddyfile token. Throws for characters Caddy would interpret inside quotes (<c>{</c>, <c>}</c>:
    /// environment variables and placeholders), that end or escape the token (<c>"</c>, <c>\</c>, a backtick), or that
    /// break the line (control characters): reaching this with one is a validation bug upstream.
    /// </summary>
    public static string Quote(string value, string what)
    {
        var bad = value.ToList().FindIndex(c => char.IsControl(c) || c is '"' or '\\' or '`' or '{' or '}');
        if (bad >= 0 || value.Length == 0)
            throw new ArgumentException($"{what} cannot be written into a Caddyfile: {(bad < 0 ? "it is empty" : $"it contains U+{(int)value[bad]:X4}")}", what);
        return $"\"{value}\"";
    }
}
