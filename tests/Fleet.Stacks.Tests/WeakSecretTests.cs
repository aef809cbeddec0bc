using System.Diagnostics;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Tests.Support;
using Fleet.Stacks.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests;

/// <summary>Issue 12 #6: a weak or empty webhook secret (<c>whsec_</c> is a 0-byte HMAC key) must stop the service at start.</summary>
public sealed class WeakSecretTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    public static TheoryData<string> Weak => new()
    {
        "whsec_",                                                   // 0-byte key: anyone can sign
        "whsec_" + Convert.ToBase64String(new byte[16] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }), // 16 bytes
        "whsec_" + Convert.ToBase64String(new byte[32]),            // 32 zero bytes: not random
        "hunter2",                                                  // short plain text
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",                 // long but one repeated character
    };

    [Theory]
    [MemberData(nameof(Weak))]
    public void The_options_reader_refuses_a_weak_secret_naming_the_setting_the_problem_and_the_fix(string secret)
    {
        foreach (var name in new[] { "FLEET_WEBHOOK_SECRET", "FLEET_WEBHOOK_SECRET_PREVIOUS" })
        {
            var env = new Dictionary<string, string>
            {
                ["FLEET_PROJECT_DIR"] = _project.Directory,
                ["FLEET_STACKS"] = "prod",
                ["FLEET_WEBHOOK_SECRET"] = TestService.SecretText,
                [name] = secret,
            };
            var errors = new List<string>();
            Assert.Null(StacksOptionsReader.Read(env.GetValueOrDefault, errors));
            var error = Assert.Single(errors);
            Assert.StartsWith(name + ": ", error);
            Assert.Contains("openssl rand -base64 32", error);
            if (secret.Length > 8) Assert.DoesNotContain(secret[6..], error); // never echoes the secret
        }
    }

    [Fact]
    public async Task The_service_process_refuses_to_start_with_an_empty_whsec_key_so_an_empty_key_signature_reaches_nothing()
    {
        var start = new ProcessStartInfo(ServiceProcess.DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "Fleet.Stacks.dll")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _project.Directory,
        };
        start.Environment["FLEET_PROJECT_DIR"] = _project.Directory;
        start.Environment["FLEET_STACKS"] = "prod";
        start.Environment["FLEET_WEBHOOK_SECRET"] = "whsec_";
        start.Environment["FLEET_DATABASE"] = _project.Database;
        start.Environment["FLEET_LISTEN"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.Equal(2, process.ExitCode);
        var text = await stderr;
        Assert.Contains("FLEET_WEBHOOK_SECRET: the whsec_ key decodes to 0 bytes; at least 24 random bytes are required", text);
        Assert.Contains("openssl rand -base64 32", text);
        Assert.DoesNotContain("   at ", text); // no stack trace
    }

    [Fact]
    public void The_verifier_itself_refuses_a_short_key()
    {
        Assert.Throws<ArgumentException>(() => new WebhookVerifier([WebhookSecret.Parse("whsec_")], TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new WebhookVerifier([], TimeProvider.System));
    }

    [Fact]
    public void A_generated_whsec_key_and_the_Standard_Webhooks_example_still_verify()
    {
        var generated = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.Null(WebhookSecret.Weakness(generated));
        Assert.Null(WebhookSecret.Weakness("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")); // the specification's example key: exactly 24 bytes
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1614265330));
        var verifier = new WebhookVerifier([WebhookSecret.Parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")], time);
        var body = System.Text.Encoding.UTF8.GetBytes("""{"test": 2432232314}""");
        Assert.Equal(WebhookVerdict.Valid, verifier.Verify("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body));
    }
}
