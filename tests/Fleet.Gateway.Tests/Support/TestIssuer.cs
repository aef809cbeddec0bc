using System.Security.Cryptography;
using System.Text;
using Fleet.Gateway.Routing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Gateway.Tests.Support;

/// <summary>
/// An OIDC issuer on 127.0.0.1:0 (real Kestrel): its discovery document at <c>/.well-known/openid-configuration</c>, its
/// JWKS at <c>/jwks</c> (the keys a test publishes, RSA or EC), and tokens minted with those keys. A test can make the
/// key endpoints hang, and watch every fetch.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<SecurityKey> _published = [];
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fetches;

    private TestIssuer(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";
    public Uri JwksUri => new(Issuer + "/jwks");

    /// <summary>When true, discovery and JWKS requests hang until <see cref="DisposeAsync"/>.</summary>
    public bool Hang { get; set; }

    /// <summary>Discovery and JWKS requests received.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Fires at each discovery or JWKS request, once it has been answered (or has started hanging).</summary>
    public Pulse Fetched { get; } = new();

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var issuer = new TestIssuer(app);
        app.MapGet("/realm/.well-known/openid-configuration", c => issuer.ServeAsync(c,
            $$"""{"issuer":"{{issuer.Issuer}}","jwks_uri":"{{issuer.JwksUri}}","id_token_signing_alg_values_supported":["RS256","ES256"]}"""));
        app.MapGet("/realm/jwks", c => issuer.ServeAsync(c, issuer.Jwks()));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Issuer = address.TrimEnd('/') + "/realm";
        return issuer;
    }

    /// <summary>A new RSA key (published unless told not to).</summary>
    public SecurityKey NewRsaKey(string kid, bool publish = true) => Add(new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid }, publish);

    /// <summary>A new P-256 key (published unless told not to).</summary>
    public SecurityKey NewEcKey(string kid, bool publish = true) => Add(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid }, publish);

    public void Publish(SecurityKey key)
    {
        lock (_published) _published.Add(key);
    }

    /// <summary>A signed token: <c>iss</c> this issuer, valid from a minute ago for <paramref name="lifetime"/> (an hour).</summary>
    public string Mint(SecurityKey key, string audience = "fleet-gateway", string subject = "client-1", IDictionary<string, object>? claims = null,
        TimeSpan? lifetime = null, DateTime? notBefore = null, string? issuer = null, IDictionary<string, object>? headers = null)
    {
        var now = DateTime.UtcNow;
        var nbf = notBefore ?? now.AddMinutes(-1);
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["sub"] = subject };
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            IssuedAt = nbf,
            NotBefore = nbf,
            Expires = nbf + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = all,
            SigningCredentials = new SigningCredentials(key, key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
            AdditionalHeaderClaims = headers,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise good claims.</summary>
    public string MintUnsigned(string audience = "fleet-gateway")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode($$"""{"iss":"{{Issuer}}","aud":"{{audience}}","sub":"client-1","nbf":{{now - 60}},"exp":{{now + 3600}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>The issuers file entry for this issuer.</summary>
    public object Entry(string audience = "fleet-gateway", bool jwksUri = false, int requestsPerMinute = 1000, int tokensPerMinute = 100_000, string[]? models = null) =>
        new { issuer = Issuer, audience, jwksUri = jwksUri ? JwksUri.ToString() : null, requestsPerMinute, tokensPerMinute, models };

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private SecurityKey Add(SecurityKey key, bool publish)
    {
        if (publish) Publish(key);
        return key;
    }

    private async Task ServeAsync(HttpContext context, string json)
    {
        Interlocked.Increment(ref _fetches);
        if (Hang)
        {
            Fetched.Fire();
            await _release.Task;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, Encoding.UTF8);
        await context.Response.CompleteAsync();
        Fetched.Fire();
    }

    private string Jwks()
    {
        lock (_published)
        {
            var keys = _published.Select(k => k switch
            {
                RsaSecurityKey rsa => Rsa(rsa),
                ECDsaSecurityKey ec => Ec(ec),
                _ => throw new NotSupportedException(),
            });
            return $$"""{"keys":[{{string.Join(",", keys)}}]}""";
        }
    }

    private static string Rsa(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(false);
        return $$"""{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{key.KeyId}}","n":"{{Base64UrlEncoder.Encode(p.Modulus)}}","e":"{{Base64UrlEncoder.Encode(p.Exponent)}}"}""";
    }

    private static string Ec(ECDsaSecurityKey key)
    {
        var p = key.ECDsa.ExportParameters(false);
        return $$"""{"kty":"EC","use":"sig","alg":"ES256","crv":"P-256","kid":"{{key.KeyId}}","x":"{{Base64UrlEncoder.Encode(p.Q.X)}}","y":"{{Base64UrlEncoder.Encode(p.Q.Y)}}"}""";
    }
}
