using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Fleet.Gateway.Jwt;

/// <summary>
/// Reads an issuer's OIDC discovery document and the JWKS it names (IdentityModel's retriever), and refuses a document
/// whose <c>issuer</c> is not the configured one (OpenID Connect Discovery §4.3), so keys are only taken from the issuer asked.
/// </summary>
public sealed class DiscoveryRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel).ConfigureAwait(false);
        if (!string.Equals(configuration.Issuer, issuer, StringComparison.Ordinal))
            throw new InvalidOperationException($"the discovery document at {address} names issuer '{configuration.Issuer}', not the configured '{issuer}'");
        return configuration;
    }
}
