using System.Net;
using Fleet.Gateway.Configuration;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Fleet.Gateway.Jwt;

/// <summary>
/// The trusted JWT issuers (<c>FLEET_JWT_ISSUERS_FILE</c>), replaced whole when the file changes. An issuer whose
/// address and key location stay the same keeps its key cache across reloads. Keys are fetched only from the configured
/// addresses, over one HTTP client with a timeout, no redirects and a bounded response size.
/// </summary>
public sealed class JwtIssuerStore : IDisposable
{
    /// <summary>Least time between two key refreshes asked for by a token with an unknown <c>kid</c> (a key rotation).</summary>
    public static readonly TimeSpan RefreshOnUnknownKey = TimeSpan.FromSeconds(30);

    /// <summary>How often keys are re-read in any case (IdentityModel adds up to an hour of jitter).</summary>
    public static readonly TimeSpan AutomaticRefresh = TimeSpan.FromHours(1);

    private readonly HttpClient _http;
    private volatile IReadOnlyDictionary<string, TrustedIssuer> _issuers = new Dictionary<string, TrustedIssuer>();

    public JwtIssuerStore(GatewayOptions options)
    {
        Enabled = !string.IsNullOrWhiteSpace(options.JwtIssuersFile);
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.JwksTimeout,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = options.JwksTimeout,
            MaxResponseContentBufferSize = MaxDocumentBytes,
        };
    }

    /// <summary>Largest discovery document or JWKS read.</summary>
    public const int MaxDocumentBytes = 512 * 1024;

    /// <summary>Whether JWT clients are configured at all (<c>FLEET_JWT_ISSUERS_FILE</c> set).</summary>
    public bool Enabled { get; }

    /// <summary>Whether an issuers file has been loaded successfully.</summary>
    public bool Loaded { get; private set; }

    /// <summary>The issuers in force, by their exact <c>iss</c>.</summary>
    public IReadOnlyDictionary<string, TrustedIssuer> Issuers => _issuers;

    /// <summary>The issuer whose <c>iss</c> is exactly <paramref name="issuer"/>, or null.</summary>
    public TrustedIssuer? Find(string? issuer) => issuer is null ? null : _issuers.GetValueOrDefault(issuer);

    /// <summary>Puts <paramref name="issuers"/> in force, keeping the key caches of issuers whose key location did not change.</summary>
    public void Replace(IReadOnlyList<JwtIssuer> issuers)
    {
        var previous = _issuers;
        var next = new Dictionary<string, TrustedIssuer>(StringComparer.Ordinal);
        foreach (var config in issuers)
        {
            next[config.Issuer] = previous.TryGetValue(config.Issuer, out var kept) && kept.Config.MetadataAddress == config.MetadataAddress
                ? kept with { Config = config }
                : new TrustedIssuer(config, NewKeyCache(config));
        }
        _issuers = next;
        Loaded = true;
    }

    private ConfigurationManager<OpenIdConnectConfiguration> NewKeyCache(JwtIssuer config)
    {
        var address = config.MetadataAddress;
        var documents = new HttpDocumentRetriever(_http) { RequireHttps = !IsLoopback(address) };
        IConfigurationRetriever<OpenIdConnectConfiguration> retriever = config.JwksUri is null ? new DiscoveryRetriever(config.Issuer) : JwksRetriever.Instance;
        return new ConfigurationManager<OpenIdConnectConfiguration>(address.AbsoluteUri, retriever, documents)
        {
            RefreshInterval = RefreshOnUnknownKey,
            AutomaticRefreshInterval = AutomaticRefresh,
        };
    }

    /// <summary>Plain HTTP is allowed to loopback addresses only (local runs and tests); every other key location must be HTTPS.</summary>
    public static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public void Dispose() => _http.Dispose();
}
