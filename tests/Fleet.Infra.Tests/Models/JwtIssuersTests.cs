using System.Text.Json;
using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Models;

/// <summary><c>fleet:jwtIssuers</c> reaches the running gateway as its issuers file, in the shape gateway/README.md documents.</summary>
public class JwtIssuersTests
{
    private const string Issuers = "[{issuer: \"https://id.example.com/realms/fleet\", audience: fleet-gateway, requestsPerMinute: 60, tokensPerMinute: 100000, models: [tiny]}, {issuer: \"https://login.example.org/\", audience: \"api://fleet\", jwksUri: \"https://login.example.org/keys\", requestsPerMinute: 600, tokensPerMinute: 1000000}]";

    [Fact]
    public void Swarm_writes_the_issuers_file_beside_the_others_and_points_the_gateway_at_it()
    {
        var (_, program) = Fleets.Evaluate(("fleet:jwtIssuers", Issuers));
        var file = program["gateway-jwt-issuers-file"];
        Assert.Contains("/etc/fleet/gateway/jwt-issuers.json", file.InputString("create"));
        using var doc = JsonDocument.Parse(file.InputString("stdin"));
        var first = doc.RootElement.GetProperty("issuers")[0];
        Assert.Equal("https://id.example.com/realms/fleet", first.GetProperty("issuer").GetString());
        Assert.Equal("fleet-gateway", first.GetProperty("audience").GetString());
        Assert.Equal(60, first.GetProperty("requestsPerMinute").GetInt32());
        Assert.Equal("tiny", first.GetProperty("models")[0].GetString());
        Assert.False(first.TryGetProperty("jwksUri", out _));
        Assert.Equal("https://login.example.org/keys", doc.RootElement.GetProperty("issuers")[1].GetProperty("jwksUri").GetString());

        var env = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)program["service-gateway"].Input("taskSpec")!)["containerSpec"]!)["env"]!;
        Assert.Equal("/run/fleet/jwt-issuers.json", env["FLEET_JWT_ISSUERS_FILE"]);
    }

    [Fact]
    public void Without_issuers_the_gateway_gets_no_file()
    {
        var (yaml, _) = Fleets.Evaluate();
        Assert.DoesNotContain("jwt-issuers", yaml);
    }

    [Theory]
    [InlineData("[{issuer: \"http://id.example.com\", audience: a, requestsPerMinute: 1, tokensPerMinute: 1}]", "fleet:jwtIssuers[0].issuer")]
    [InlineData("[{issuer: \"https://id.example.com\", requestsPerMinute: 1, tokensPerMinute: 1}]", "fleet:jwtIssuers[0].audience")]
    [InlineData("[{issuer: \"https://id.example.com\", audience: a, tokensPerMinute: 1}]", "fleet:jwtIssuers[0].requestsPerMinute")]
    [InlineData("[{issuer: \"https://id.example.com\", audience: a, requestsPerMinute: 1, tokensPerMinute: 1, jwksUri: \"file:///etc/passwd\"}]", "fleet:jwtIssuers[0].jwksUri")]
    [InlineData("[{issuer: \"https://id.example.com\", audience: a, requestsPerMinute: 1, tokensPerMinute: 1, alg: none}]", "fleet:jwtIssuers[0].alg")]
    [InlineData("[{issuer: \"https://a.example\", audience: a, requestsPerMinute: 1, tokensPerMinute: 1}, {issuer: \"https://a.example\", audience: b, requestsPerMinute: 1, tokensPerMinute: 1}]", "fleet:jwtIssuers[1].issuer")]
    public void Bad_issuers_name_the_field(string issuers, string path)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:jwtIssuers", issuers)));

        Assert.Null(result.Program);
        Assert.Contains(result.Diagnostics, d => d.Path == path && !string.IsNullOrEmpty(d.Fix));
    }
}
