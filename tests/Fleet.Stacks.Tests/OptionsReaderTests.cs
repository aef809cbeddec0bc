using Fleet.Stacks.Hosting;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

public sealed class OptionsReaderTests
{
    [Fact]
    public void Reports_every_missing_setting_at_once()
    {
        var errors = new List<string>();
        Assert.Null(StacksOptionsReader.Read(_ => null, errors));
        Assert.Equal(3, errors.Count);
        Assert.StartsWith("FLEET_PROJECT_DIR is required", errors[0]);
        Assert.StartsWith("FLEET_STACKS is required", errors[1]);
        Assert.StartsWith("FLEET_WEBHOOK_SECRET (or FLEET_WEBHOOK_SECRET_FILE) is required", errors[2]);
    }

    [Fact]
    public void Reads_a_complete_environment()
    {
        using var project = new TestProject();
        var secretFile = Path.Combine(project.Directory, "previous.secret");
        File.WriteAllText(secretFile, "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        var env = new Dictionary<string, string>
        {
            ["FLEET_PROJECT_DIR"] = project.Directory,
            ["FLEET_STACKS"] = "prod",
            ["FLEET_WEBHOOK_SECRET"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ["FLEET_WEBHOOK_SECRET_PREVIOUS_FILE"] = secretFile,
            ["FLEET_GATEWAY_URL"] = "http://gateway:8080",
            ["FLEET_GATEWAY_TOKEN"] = "t",
            ["FLEET_DRAIN_TIMEOUT_SECONDS"] = "120",
            ["FLEET_SCALE_TTFT_TARGET_MS"] = "1500",
        };
        var errors = new List<string>();
        var options = StacksOptionsReader.Read(env.GetValueOrDefault, errors);
        Assert.Empty(errors);
        Assert.Equal("fleet", options!.Project);
        Assert.Equal(2, options.WebhookSecrets.Count);
        Assert.Equal(new Uri("http://gateway:8080/"), options.GatewayUrl);
        Assert.Equal(TimeSpan.FromSeconds(120), options.DrainTimeout);
        Assert.Equal(1500, options.Autoscaler.TtftTargetMs);
        Assert.Equal("fleet-prod-burst-a1", options.NodeName("prod", "burst", "a1"));
    }

    [Fact]
    public void Names_the_fix_for_bad_values()
    {
        using var project = new TestProject();
        var env = new Dictionary<string, string>
        {
            ["FLEET_PROJECT_DIR"] = project.Directory,
            ["FLEET_STACKS"] = "prod,staging",
            ["FLEET_WEBHOOK_SECRET"] = "whsec_***",
            ["FLEET_GATEWAY_URL"] = "gateway:8080",
            ["FLEET_UP_TIMEOUT_SECONDS"] = "soon",
        };
        var errors = new List<string>();
        Assert.Null(StacksOptionsReader.Read(env.GetValueOrDefault, errors));
        Assert.Contains(errors, e => e.Contains("Pulumi.staging.yaml does not exist (pulumi stack init staging)"));
        Assert.Contains(errors, e => e.StartsWith("FLEET_WEBHOOK_SECRET: a whsec_ secret must be base64"));
        Assert.Contains(errors, e => e.StartsWith("FLEET_GATEWAY_URL=gateway:8080 must be an http(s) URL"));
        Assert.Contains(errors, e => e.StartsWith("FLEET_UP_TIMEOUT_SECONDS=soon must be a number of seconds"));
    }
}
