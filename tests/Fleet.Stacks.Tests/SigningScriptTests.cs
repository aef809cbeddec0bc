using System.Diagnostics;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>stacks/scripts/sign-webhook.sh, the README's signing script, run for real (bash, openssl, curl).</summary>
public sealed class SigningScriptTests
{
    // Found from this source file, so it works whatever --artifacts-path the tests were built with.
    private static readonly string Script = Path.GetFullPath(Path.Combine(SourceDirectory(), "../../stacks/scripts/sign-webhook.sh"));

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    private static bool Has(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private static async Task<(int Code, string Out, string Err)> RunAsync(string program, IEnumerable<string> args, IDictionary<string, string> env)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Signs_the_Standard_Webhooks_example_exactly()
    {
        if (!Has("bash") || !Has("openssl")) return; // the script needs them; CI images have both
        var (code, stdout, stderr) = await RunAsync("bash", [Script, "http://unused", """{"test": 2432232314}"""], new Dictionary<string, string>
        {
            ["FLEET_WEBHOOK_SECRET"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ["WEBHOOK_ID"] = "msg_p5jXN8AQM9LWM0D4loKWxJek",
            ["WEBHOOK_TIMESTAMP"] = "1614265330",
            ["SIGN_ONLY"] = "1",
        });
        Assert.True(code == 0, stderr);
        Assert.Equal("webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek\nwebhook-timestamp: 1614265330\nwebhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n", stdout);
    }

    [Fact]
    public async Task Its_requests_are_accepted_by_the_service()
    {
        if (!Has("bash") || !Has("openssl") || !Has("curl")) return;
        using var project = new TestProject();
        await using var service = await TestService.StartAsync(TestService.DefaultOptions(project));
        var (code, stdout, stderr) = await RunAsync("bash", [Script, service.Client.BaseAddress!.ToString(), """{"stack":"prod","pool":"burst","nodes":3}"""],
            new Dictionary<string, string> { ["FLEET_WEBHOOK_SECRET"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
        Assert.True(code == 0, stderr);
        Assert.StartsWith("op_", JsonNode.Parse(stdout)!["operationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Passes_shellcheck()
    {
        if (!Has("shellcheck")) return; // .ci/run installs it
        var (code, stdout, _) = await RunAsync("shellcheck", [Script], new Dictionary<string, string>());
        Assert.True(code == 0, stdout);
    }
}
