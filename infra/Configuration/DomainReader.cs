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
            f.Bag.Error(ConfigCodes.BadFormat, ns + "domain", $"{ns}domain \"{domain}\" is not a DNS name like example.com (Fleet serves api.<domain>)", ConfigFix.Set(ns + "domain", "example.com"));
            domain = null;
        }
        if (email is not null && !EmailShape().IsMatch(email))
        {
            f.Bag.Error(ConfigCodes.BadFormat, ns + "acmeEmail", $"{ns}acmeEmail \"{email}\" is not an email address", ConfigFix.Set(ns + "acmeEmail", "ops@example.com"));
            email = null;
        }
        if (domainNode is not null && emailNode is null)
            f.Bag.Error(ConfigCodes.Missing, ns + "acmeEmail", $"{ns}acmeEmail is required when {ns}domain is set: the ACME CA sends certificate expiry notices there", ConfigFix.Set(ns + "acmeEmail", "ops@example.com"));
        return (domain, email);
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex DomainShape();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();
}
