using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Fleet.Gateway.Jwt;

/// <summary>An issuer in force and the cache of its signing keys (fetched, cached and refreshed by IdentityModel).</summary>
public sealed record TrustedIssuer(JwtIssuer Config, ConfigurationManager<OpenIdConnectConfiguration> Keys);
