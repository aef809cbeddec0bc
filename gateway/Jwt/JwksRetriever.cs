using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Gateway.Jwt;

/// <summary>
/// Reads a bare JWKS (an issuer configured with <c>jwksUri</c>, no discovery document) into the configuration shape
/// <see cref="ConfigurationManager{T}"/> caches; IdentityModel parses the keys and checks signatures.
/// </summary>
public sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    /// <summary>The one instance (stateless).</summary>
    public static JwksRetriever Instance { get; } = new();

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var document = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        var keys = new JsonWebKeySet(document);
        var configuration = new OpenIdConnectConfiguration { JwksUri = address, JsonWebKeySet = keys };
        foreach (var key in keys.GetSigningKeys()) configuration.SigningKeys.Add(key);
        return configuration;
    }
}
