using System.Net;
using Fleet.Gateway.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Gateway.Tests.Jwt;

public sealed class JwtAuthTests
{
    [Fact]
    public async Task A_token_signed_with_an_RSA_key_from_the_issuers_discovered_JWKS_is_served()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        await using var fleet = await JwtFleet.StartAsync([issuer.Entry()]);

        var response = await fleet.ChatAsync(issuer.Mint(key));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, fleet["a1"].Served);
        Assert.Equal([null], fleet["a1"].AuthorizationHeaders.Select(h => string.IsNullOrEmpty(h) ? null : h)); // never forwarded
        using var http = fleet.Gateway.Client(null);
        // Metrics are per issuer, never per subject: their series stay bounded by the issuers file.
        Assert.Contains($"fleet_gateway_key_requests_total{{key=\"jwt:{issuer.Issuer}\",code=\"200\"}} 1", await http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_token_signed_with_an_EC_key_from_a_configured_JWKS_URI_is_served()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var key = issuer.NewEcKey("ec-1");
        await using var fleet = await JwtFleet.StartAsync([issuer.Entry(jwksUri: true)]);

        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(issuer.Mint(key))).StatusCode);
        Assert.Equal(1, fleet["a1"].Served);
    }

    public static TheoryData<string> BadTokens => ["expired", "not yet valid", "wrongly signed", "alg none", "unknown issuer", "wrong audience", "no exp", "garbage"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Rejects_a_bad_token_with_401_in_the_OpenAI_shape(string what)
    {
        await using var issuer = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        await using var fleet = await JwtFleet.StartAsync([issuer.Entry()]);
        var now = DateTime.UtcNow;
        var token = what switch
        {
            "expired" => issuer.Mint(key, notBefore: now.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
            "not yet valid" => issuer.Mint(key, notBefore: now.AddHours(1)),
            // Same kid as the published key, signed by another: a forged token.
            "wrongly signed" => issuer.Mint(new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "rsa-1" }),
            "alg none" => issuer.MintUnsigned(),
            "unknown issuer" => issuer.Mint(key, issuer: "https://evil.example.com/realm"),
            "wrong audience" => issuer.Mint(key, audience: "someone-else"),
            "no exp" => NoExpiry(issuer, key),
            _ => "abc.def.ghi",
        };

        var response = await fleet.ChatAsync(token);

        await AuthTests.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(0, fleet["a1"].Served);
        Assert.Contains(fleet.Gateway.Logs.Lines, l => l.Contains("JWT refused"));
        Assert.DoesNotContain(fleet.Gateway.Logs.Lines, l => l.Contains(token) || (token.Length > 40 && l.Contains(token[^40..])));
    }

    [Fact]
    public async Task Keys_are_fetched_only_from_the_configured_issuer_never_from_what_a_token_names()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        var otherKey = other.NewRsaKey("o-1");
        await using var fleet = await JwtFleet.StartAsync([issuer.Entry()]);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(issuer.Mint(key))).StatusCode);
        var fetches = issuer.Fetches;

        // Claims the configured issuer but is signed by another key, whose JWKS the token's jku/x5u headers point at.
        var pointing = await fleet.ChatAsync(issuer.Mint(otherKey, headers: new Dictionary<string, object>
        {
            ["jku"] = other.JwksUri.ToString(),
            ["x5u"] = other.JwksUri.ToString(),
        }));

        await AuthTests.AssertErrorAsync(pointing, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(0, other.Fetches);
        Assert.True(issuer.Fetches >= fetches); // the configured issuer's keys may be refreshed (unknown kid): only they
    }

    [Fact]
    public async Task A_token_of_an_unknown_issuer_or_a_huge_token_fetches_nothing()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var other = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        await using var fleet = await JwtFleet.StartAsync([issuer.Entry()]);
        var padding = new Dictionary<string, object> { ["pad"] = new string('x', 9000) };

        var huge = await fleet.ChatAsync(issuer.Mint(key, claims: padding));
        var foreign = await fleet.ChatAsync(other.Mint(other.NewRsaKey("o-1")));

        Assert.Contains("longer than 8192", await huge.Content.ReadAsStringAsync());
        await AuthTests.AssertErrorAsync(huge, HttpStatusCode.Unauthorized, "invalid_api_key");
        await AuthTests.AssertErrorAsync(foreign, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(0, issuer.Fetches);
        Assert.Equal(0, other.Fetches);
    }

    [Fact]
    public async Task A_new_key_in_the_JWKS_is_accepted_after_the_keys_are_refreshed()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var first = issuer.NewRsaKey("2026-1");
        await using var fleet = await JwtFleet.StartAsync([issuer.Entry()]);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(issuer.Mint(first))).StatusCode);
        var fetchesBefore = issuer.Fetches;

        var rotated = issuer.NewRsaKey("2026-2"); // the issuer rotates: a new kid appears in its JWKS
        var token = issuer.Mint(rotated);
        var response = await fleet.ChatAsync(token);
        // IdentityModel refreshes the keys when a token names an unknown kid: in this request or just after it.
        for (var i = 0; i < 50 && response.StatusCode != HttpStatusCode.OK; i++)
        {
            var fetched = issuer.Fetched.Next;
            if (issuer.Fetches == fetchesBefore) await fetched.WaitAsync(TimeSpan.FromSeconds(20));
            else await Task.Delay(100);
            response = await fleet.ChatAsync(token);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(issuer.Fetches > fetchesBefore);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(issuer.Mint(first))).StatusCode); // the old key is still published
    }

    [Fact]
    public async Task Claims_set_the_clients_models_and_limits()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        await using var fleet = await JwtFleet.StartAsync([issuer.Entry(requestsPerMinute: 100, models: ["tiny"])]);
        var narrow = issuer.Mint(key, subject: "narrow", claims: new Dictionary<string, object> { ["fleet_models"] = new[] { "big" } });
        var slow = issuer.Mint(key, subject: "slow", claims: new Dictionary<string, object> { ["fleet_rpm"] = 1 });
        var plain = issuer.Mint(key, subject: "plain");

        await AuthTests.AssertErrorAsync(await fleet.ChatAsync(narrow), HttpStatusCode.Forbidden, "model_not_allowed");
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(slow)).StatusCode);
        await AuthTests.AssertErrorAsync(await fleet.ChatAsync(slow), HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(plain)).StatusCode);
        await AuthTests.AssertErrorAsync(await fleet.ChatAsync(plain, model: "other"), HttpStatusCode.Forbidden, "model_not_allowed"); // the issuer's default list
    }

    [Fact]
    public async Task An_issuer_whose_keys_hang_delays_only_its_own_tokens_which_get_503()
    {
        await using var hanging = await TestIssuer.StartAsync();
        await using var good = await TestIssuer.StartAsync();
        var hangingKey = hanging.NewRsaKey("h-1");
        var goodKey = good.NewRsaKey("g-1");
        hanging.Hang = true;
        var apiKey = new TestKey("team-a");
        await using var fleet = await JwtFleet.StartAsync([hanging.Entry(), good.Entry()], keys: [apiKey], jwksTimeout: TimeSpan.FromSeconds(3));

        var fetched = hanging.Fetched.Next;
        var stuck = fleet.ChatAsync(hanging.Mint(hangingKey));
        await fetched.WaitAsync(TimeSpan.FromSeconds(20));
        // While the hanging issuer's key fetch is open, other clients are served.
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(good.Mint(goodKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(apiKey)).StatusCode);

        var refused = await stuck;
        await AuthTests.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "issuer_unavailable");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(2, fleet["a1"].Served);
    }

    [Fact]
    public async Task A_rewritten_issuers_file_is_put_in_force_without_a_restart()
    {
        await using var first = await TestIssuer.StartAsync();
        await using var second = await TestIssuer.StartAsync();
        var firstKey = first.NewRsaKey("f-1");
        var secondKey = second.NewRsaKey("s-1");
        await using var fleet = await JwtFleet.StartAsync([first.Entry()]);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(first.Mint(firstKey))).StatusCode);

        JwtFleet.Write(fleet.Gateway.Options.JwtIssuersFile, [second.Entry()]);
        fleet.Gateway.Advance(TimeSpan.FromSeconds(2));
        await fleet.BeatAsync();

        await AuthTests.AssertErrorAsync(await fleet.ChatAsync(first.Mint(firstKey)), HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(second.Mint(secondKey))).StatusCode);
    }

    private static string NoExpiry(TestIssuer issuer, SecurityKey key)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer.Issuer,
            Audience = "fleet-gateway",
            Claims = new Dictionary<string, object> { ["sub"] = "client-1" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
