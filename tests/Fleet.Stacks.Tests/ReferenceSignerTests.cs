using Fleet.Agent.Tests.Support;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>
/// The Standard Webhooks reference signer (npm <c>standardwebhooks</c>, pinned in tests/Fleet.Stacks.Tests/js;
/// <c>npm ci</c> there first) signs scale webhooks as a sender we did not write would: the service accepts its
/// signature, dedupes its replay, and refuses a tampered body and a stale timestamp.
/// </summary>
public sealed class ReferenceSignerTests : IAsyncLifetime
{
    private readonly TestProject _project = new();
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(TestService.DefaultOptions(_project));

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task The_reference_signers_webhooks_are_accepted_once_and_tampering_is_refused()
    {
        using var doc = await NodeScript.RunAsync(JsFolder(), "sign.mjs", "standardwebhooks", new Dictionary<string, string>
        {
            ["FLEET_SERVICE_URL"] = _service.Client.BaseAddress!.ToString(),
            ["FLEET_WEBHOOK_SECRET"] = TestService.SecretText,
        }, TimeSpan.FromMinutes(2));
        var o = doc.RootElement;
        Assert.Equal(202, o.GetProperty("signed").GetProperty("status").GetInt32());
        var operation = o.GetProperty("signed").GetProperty("body").GetProperty("operationId").GetString()!;
        Assert.Equal(202, o.GetProperty("replayed").GetProperty("status").GetInt32());
        Assert.Equal(operation, o.GetProperty("replayed").GetProperty("body").GetProperty("operationId").GetString());
        Assert.True(o.GetProperty("replayed").GetProperty("body").GetProperty("duplicate").GetBoolean());
        Assert.Equal(401, o.GetProperty("tampered").GetProperty("status").GetInt32());
        Assert.Equal(401, o.GetProperty("stale").GetProperty("status").GetInt32());

        var op = await _service.OperationAsync(operation);
        Assert.Equal(("webhook", "burst"), (op["operation"]!["source"]!.GetValue<string>(), op["operation"]!["pool"]!.GetValue<string>()));
    }

    private static string JsFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.Combine(Path.GetDirectoryName(file)!, "js");
}
