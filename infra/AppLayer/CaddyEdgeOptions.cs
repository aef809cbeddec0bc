namespace Fleet.Infra.AppLayer;

/// <summary>What the TLS edge needs: the domain (null: plain HTTP), the ACME account email, the gateway upstream.</summary>
/// <param name="AcmeDirectory">An ACME directory other than Caddy's default (Let's Encrypt); tests point it at Pebble.</param>
/// <param name="AcmeRootCertificate">A PEM file trusted for the ACME directory's TLS (Pebble's test certificate).</param>
/// <param name="HttpPort">Ports other than 80/443 (tests run unprivileged on loopback).</param>
/// <param name="ControlUpstream">The control service, when the stack runs it: only its signed webhook is forwarded.</param>
public sealed record CaddyEdgeOptions(string? Domain, string? AcmeEmail, string Upstream,
    string? AcmeDirectory = null, string? AcmeRootCertificate = null, int? HttpPort = null, int? HttpsPort = null, string? ControlUpstream = null);
