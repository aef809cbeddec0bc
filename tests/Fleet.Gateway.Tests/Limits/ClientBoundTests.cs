using System.Net;
using System.Text.RegularExpressions;
using Fleet.Gateway.Tests.Jwt;
using Fleet.Gateway.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Gateway.Tests.Limits;

/// <summary>
/// Many JWT subjects (one tracked client each) cannot grow the gateway's memory or metric series without bound:
/// idle clients are forgotten, at most FLEET_MAX_CLIENTS are tracked, and metrics are labelled by issuer.
/// </summary>
public sealed partial class ClientBoundTests
{
    [Fact]
    public async Task Many_distinct_subjects_keep_tracked_clients_and_metric_series_bounded()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        await using var fleet = await StartAsync(issuer, maxClients: 5, requestsPerMinute: 2);

        var first = await SendAsync(fleet, issuer, key, Enumerable.Range(0, 12).Select(i => $"user-{i}"));

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Concat(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 7)), first);
        var metrics = await MetricsAsync(fleet);
        Assert.Equal(5, Gauge(metrics, "fleet_gateway_limiter_clients"));
        Assert.Equal(7, Gauge(metrics, "fleet_gateway_clients_refused_total"));
        Assert.Contains($"fleet_gateway_key_requests_total{{key=\"jwt:{issuer.Issuer}\",code=\"200\"}} 5", metrics);
        Assert.Contains($"fleet_gateway_key_requests_total{{key=\"jwt:{issuer.Issuer}\",code=\"503\"}} 7", metrics);
        Assert.DoesNotContain("user-", metrics); // no series per subject

        // A minute on, every budget is full again: those clients are forgotten and new subjects get their places.
        fleet.Gateway.Advance(TimeSpan.FromSeconds(61));
        await fleet.BeatAsync();
        var second = await SendAsync(fleet, issuer, key, Enumerable.Range(100, 12).Select(i => $"user-{i}"));

        Assert.Equal(5, second.Count(s => s == HttpStatusCode.OK));
        metrics = await MetricsAsync(fleet);
        Assert.Equal(5, Gauge(metrics, "fleet_gateway_limiter_clients"));
        Assert.DoesNotContain("user-", metrics);
        Assert.Equal(10, fleet["a1"].Served);
    }

    [Fact]
    public async Task An_active_clients_limit_holds_while_idle_clients_are_forgotten_around_it()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        await using var fleet = await StartAsync(issuer, maxClients: 3, requestsPerMinute: 2);
        var active = issuer.Mint(key, subject: "active");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], await RepeatAsync(fleet, active, 3));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable],
            await SendAsync(fleet, issuer, key, ["idle-1", "idle-2", "idle-3"]));

        // 30 s on, the idle clients' budgets are full (one request of two per minute), the active one's is not: only the
        // idle ones are forgotten when a new subject comes at the cap, and the active one still gets one request, not two.
        fleet.Gateway.Advance(TimeSpan.FromSeconds(30));
        await fleet.BeatAsync();
        Assert.Equal([HttpStatusCode.OK], await SendAsync(fleet, issuer, key, ["newcomer"]));
        Assert.Equal([HttpStatusCode.OK, (HttpStatusCode)429], await RepeatAsync(fleet, active, 2));
        Assert.Equal(2, Gauge(await MetricsAsync(fleet), "fleet_gateway_limiter_clients"));

        // Once full again it is forgotten too, and is admitted exactly as a fresh client: two, then 429.
        fleet.Gateway.Advance(TimeSpan.FromSeconds(61));
        await fleet.BeatAsync();
        Assert.Equal([HttpStatusCode.OK], await SendAsync(fleet, issuer, key, ["later"]));
        Assert.Equal(1, Gauge(await MetricsAsync(fleet), "fleet_gateway_limiter_clients"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], await RepeatAsync(fleet, active, 3));
    }

    [Fact]
    public async Task At_the_cap_a_new_subject_gets_503_too_many_clients_and_API_keys_are_still_served()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var key = issuer.NewRsaKey("rsa-1");
        await using var fleet = await StartAsync(issuer, maxClients: 1, requestsPerMinute: 10);
        Assert.Equal([HttpStatusCode.OK], await SendAsync(fleet, issuer, key, ["first"]));

        var refused = await fleet.ChatAsync(issuer.Mint(key, subject: "second"));

        await AuthTests.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "too_many_clients");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync()).StatusCode); // the API key
        Assert.Equal(2, Gauge(await MetricsAsync(fleet), "fleet_gateway_limiter_clients"));
        Assert.Contains(fleet.Gateway.Logs.Lines, l => l.Contains("FLEET_MAX_CLIENTS"));
    }

    private static async Task<TestFleet> StartAsync(TestIssuer issuer, int maxClients, int requestsPerMinute)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("fleet-jwt-").FullName, "issuers.json");
        JwtFleet.Write(file, [issuer.Entry(requestsPerMinute: requestsPerMinute)]);
        return await TestFleet.StartAsync([64], configure: o => o with { JwtIssuersFile = file, MaxClients = maxClients });
    }

    private static async Task<List<HttpStatusCode>> SendAsync(TestFleet fleet, TestIssuer issuer, SecurityKey key, IEnumerable<string> subjects)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var subject in subjects) statuses.Add((await fleet.ChatAsync(issuer.Mint(key, subject: subject))).StatusCode);
        return statuses;
    }

    private static async Task<List<HttpStatusCode>> RepeatAsync(TestFleet fleet, string token, int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++) statuses.Add((await fleet.ChatAsync(token)).StatusCode);
        return statuses;
    }

    private static async Task<string> MetricsAsync(TestFleet fleet)
    {
        using var http = fleet.Gateway.Client(null);
        return await http.GetStringAsync("/metrics");
    }

    private static double Gauge(string metrics, string name)
    {
        var match = Regex.Match(metrics, $"^{name} (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} not in /metrics");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
