using Fleet.Stacks.Pulumi;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>Issue 12 #10: <c>pulumi</c> (and the compiler it starts) gets an allow-listed environment, never the webhook secret.</summary>
public sealed class ChildEnvironmentTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task The_webhook_secret_and_unrelated_variables_never_reach_pulumi()
    {
        using var service = ServiceProcess.Start(_project, ServiceProcess.FreePort(), env =>
        {
            env["FLEET_GATEWAY_TOKEN_UNUSED"] = "gateway-token-value";
            env["UNRELATED_SECRET"] = "do-not-pass";
            env["PULUMI_CONFIG_PASSPHRASE"] = "passphrase";
            env["DIGITALOCEAN_TOKEN"] = "dop_v1_x";
            env["FLEET_PULUMI_ENV"] = "EXTRA_PROVIDER_TOKEN";
            env["EXTRA_PROVIDER_TOKEN"] = "x";
        });
        await service.WaitHealthyAsync();
        var id = await service.ScaleAsync(3);
        await Eventually.TrueAsync(() => service.Operation(id)["state"]!.GetValue<string>() == "succeeded", "the scale-up");

        var calls = _project.Calls();
        Assert.Contains(calls, c => c.Argv[0] == "up");
        foreach (var call in calls)
        {
            Assert.DoesNotContain("FLEET_WEBHOOK_SECRET", call.Environment);
            Assert.DoesNotContain("FLEET_GATEWAY_TOKEN_UNUSED", call.Environment);
            Assert.DoesNotContain("UNRELATED_SECRET", call.Environment);
            Assert.DoesNotContain(call.Environment, n => n.StartsWith("FLEET_", StringComparison.Ordinal));
            Assert.Contains("PATH", call.Environment);
            Assert.Contains("PULUMI_CONFIG_PASSPHRASE", call.Environment);
            Assert.Contains("DIGITALOCEAN_TOKEN", call.Environment);
            Assert.Contains("EXTRA_PROVIDER_TOKEN", call.Environment);
        }
    }

    [Fact]
    public void The_allow_list_refuses_the_services_own_secrets_even_when_named()
    {
        var env = new ChildEnvironment(["FLEET_WEBHOOK_SECRET", "FLEET_GATEWAY_TOKEN_FILE", "MY_TOKEN"]);
        Assert.False(env.Allows("FLEET_WEBHOOK_SECRET"));
        Assert.False(env.Allows("FLEET_GATEWAY_TOKEN_FILE"));
        Assert.False(env.Allows("FLEET_PROJECT_DIR"));
        Assert.True(env.Allows("MY_TOKEN"));
        Assert.True(env.Allows("PULUMI_ACCESS_TOKEN"));
        Assert.True(env.Allows("HCLOUD_TOKEN"));
    }
}
