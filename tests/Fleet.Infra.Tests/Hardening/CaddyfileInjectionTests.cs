using System.Text.Json.Nodes;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>
/// <c>fleet:acmeEmail</c> and <c>fleet:domain</c> reach the Caddyfile: hostile values are refused with the key, the value
/// and the fix; every value written there is a quoted token, checked by the real <c>caddy adapt</c>.
/// </summary>
public sealed class CaddyfileInjectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-caddy-inject").FullName;

    [Theory]
    [InlineData("ops+{$HOME}@example.com")]
    [InlineData("ops`@example.com")]
    [InlineData("`ops@example.com")]
    [InlineData("ops\"@example.com")]
    [InlineData("ops@example.com\n\tacme_ca https://evil.example")]
    [InlineData("ops@example.com {")]
    [InlineData("{env.HOME}@example.com")]
    [InlineData("ops @example.com")]
    [InlineData(".ops@example.com")]
    [InlineData("ops@localhost")]
    public void A_hostile_acme_email_is_refused_naming_the_key_the_value_and_the_fix(string email)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:domain", "example.com"), ("fleet:acmeEmail", System.Text.Json.JsonSerializer.Serialize(email))));

        Assert.Null(result.Program);
        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:acmeEmail");
        Assert.Equal(ConfigCodes.BadFormat, d.Code);
        Assert.Contains(ConfigFieldReader.Printable(email.Trim()), d.Message);
        Assert.DoesNotContain("\n", d.Message);
        Assert.Equal("pulumi config set fleet:acmeEmail ops@example.com", d.Fix);
    }

    [Theory]
    [InlineData("o'neil+fleet%ops_1@mail.example.co.uk")]
    [InlineData("OPS-team@Example.COM")]
    public void An_unusual_but_plain_email_reaches_caddy_exactly_as_written(string email)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:domain", "example.com"), ("fleet:acmeEmail", $"\"{email}\"")));
        Assert.True(result.Config is not null, string.Join("\n", result.Diagnostics));

        var json = Adapt(CaddyfileBuilder.Build(new CaddyEdgeOptions(result.Config.Domain, result.Config.AcmeEmail, "gateway:8080")));

        var policy = json["apps"]!["tls"]!["automation"]!["policies"]![0]!;
        Assert.Equal("api.example.com", (string?)policy["subjects"]![0]);
        Assert.Equal(email, (string?)policy["issuers"]![0]!["email"]);
    }

    [Theory]
    [InlineData("ops+{$HOME}@example.com")]
    [InlineData("ops`@example.com")]
    [InlineData("ops\"@example.com")]
    [InlineData("ops\\@example.com")]
    [InlineData("ops@example.com\n}")]
    [InlineData("")]
    public void The_builder_refuses_what_caddy_would_interpret_even_inside_quotes(string email) =>
        Assert.Throws<ArgumentException>(() => CaddyfileBuilder.Build(new CaddyEdgeOptions("example.com", email, "gateway:8080")));

    [Fact]
    public void Caddy_expands_environment_variables_inside_quotes_so_quoting_alone_is_not_enough()
    {
        var json = Adapt("{\n\temail \"a{$HOME}b@example.com\"\n\tadmin off\n}\n\n\"api.example.com\" {\n\trespond 404\n}\n");

        Assert.DoesNotContain("{$HOME}", json.ToJsonString());
    }

    private JsonNode Adapt(string caddyfile)
    {
        var path = Path.Combine(_dir, "Caddyfile");
        File.WriteAllText(path, caddyfile);
        var (code, output) = ExternalTool.Run("caddy", "adapt", "--adapter", "caddyfile", "--config", path);
        Assert.True(code == 0, output);
        return JsonNode.Parse(output.Split('\n')[0])!; // stdout (one line) comes before stderr
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
