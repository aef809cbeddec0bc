using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Fleet.Infra.Configuration;

/// <summary><c>fleet:domain</c> and <c>fleet:acmeEmail</c>: the email is required when a domain is set.</summary>
public static partial class DomainReader
{
    public static (string? Domain, string? Email) Read(ConfigFieldReader f, JsonNode? domainNode, JsonNode? emailNode, string ns)
    {
        var domain = f.String(domainNode, ns + "domain", "example.com", required: false)?.TrimEnd('.').ToLowerInvariant();
        var email = f.String(emailNode, ns + "acmeEmail", "ops@example.com", required: false);
        if (domain is not null && (domain.Length > 240 || !DomainShape().IsMatch(domain)))
        {
            f.Bag.Error(ConfigCodes.BadFormat, ns + "domain", $"{ns}domain \"{ConfigFieldReader.Printable(domain)}\" is not a DNS name like example.com (Fleet serves api.<domain>)", ConfigFix.Set(ns + "domain", "example.com"));
            domain = null;
        }
        if (email is not null && (email.Length > 254 || !EmailShape().IsMatch(email)))
        {
            f.Bag.Error(ConfigCodes.BadFormat, ns + "acmeEmail", $"{ns}acmeEmail \"{ConfigFieldReader.Printable(email)}\" is not a plain email address: letters, digits and . _ % + - ' before the @ (no dot at either end), a DNS name after it; it is written into the Caddyfile, where {{$VAR}}, {{placeholders}}, backticks and quotes would change the edge's configuration", ConfigFix.Set(ns + "acmeEmail", "ops@example.com"));
            email = null;
        }
        if (domainNode is not null && emailNode is null)
            f.Bag.Error(ConfigCodes.Missing, ns + "acmeEmail", $"{ns}acmeEmail is required when {ns}domain is set: the ACME CA sends certificate expiry notices there", ConfigFix.Set(ns + "acmeEmail", "ops@example.com"));
        return (domain, email);
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex DomainShape();

    /// <summary>A dot-atom local part of the characters mail providers actually issue; the ACME CA only mails it.</summary>
    [GeneratedRegex(@"^(?=[^@]{1,64}@)[A-Za-z0-9_%+'-]+(\.[A-Za-z0-9_%+'-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex EmailShape();
}
