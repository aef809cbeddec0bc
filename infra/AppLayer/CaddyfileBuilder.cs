using System.Text;
using Fleet.Infra.Configuration;

namespace Fleet.Infra.AppLayer;

/// <summary>
/// The Caddyfile for the manager's TLS edge. With a domain: automatic HTTPS for <c>api.&lt;domain&gt;</c> (ACME, HTTP→HTTPS
/// redirect by Caddy), HSTS, and a reverse proxy to the gateway with streaming flushed at once. Without: plain HTTP.
/// </summary>
public static class CaddyfileBuilder
{
    /// <param name="upstream">The gateway as Caddy reaches it, e.g. <c>gateway:8080</c>.</param>
    /// <param name="acmeDirectory">An ACME directory other than Let's Encrypt (tests use Pebble).</param>
    public static string Build(string? domain, string? acmeEmail, string upstream, string? acmeDirectory = null, string? acmeRootCertificate = null)
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        if (acmeEmail is not null) sb.Append($"\temail {acmeEmail}\n");
        if (acmeDirectory is not null) sb.Append($"\tacme_ca {acmeDirectory}\n");
        if (acmeRootCertificate is not null) sb.Append($"\tacme_ca_root {acmeRootCertificate}\n");
        sb.Append("\tadmin off\n");
        sb.Append("}\n\n");
        sb.Append(domain is null ? ":80 {\n" : $"api.{domain} {{\n");
        if (domain is not null) sb.Append("\theader Strict-Transport-Security \"max-age=31536000; includeSubDomains\"\n");
        sb.Append("\tencode zstd gzip\n");
        sb.Append($"\treverse_proxy {upstream} {{\n");
        // Server-sent events must reach the client token by token.
        sb.Append("\t\tflush_interval -1\n");
        sb.Append("\t}\n");
        sb.Append("}\n");
        return sb.ToString();
    }
}
