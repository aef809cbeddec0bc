using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Stacks.Console;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests.Console;

/// <summary>
/// A console drain recorded, then the real service process killed with its <c>pulumi</c> at a step of applying it, then
/// restarted (as <see cref="CrashAtEveryStepTests"/> does for a webhook): the named node is gone exactly once — the other
/// node stays, the file, the cloud and the pools output agree — and a repeat of the request returns the same operation.
/// </summary>
public sealed class DrainCrashTests : IDisposable
{
    private const string Token = "console-token-0123456789abcdefghijklmnop";
    private const string RequestId = "6f1d0c9e-0000-4000-8000-00000000d1a1";

    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("config:before")] // drained (no gateway here: at once), the file not yet edited
    [InlineData("config:after")]  // a1's id removed from the file, no up yet
    [InlineData("up:after")]      // the up removed a1's server, the service not yet told
    public async Task A_drain_killed_at_a_step_removes_the_named_node_once_after_the_restart(string step)
    {
        var tokenFile = Path.Combine(_project.Directory, "console-token");
        File.WriteAllText(tokenFile, Token);
        void Configure(IDictionary<string, string> environment) => environment[ConsoleOptionsReader.TokenFileVariable] = tokenFile;
        var port = ServiceProcess.FreePort();
        string id;
        using (var service = ServiceProcess.Start(_project, port, Configure))
        {
            await service.WaitHealthyAsync();
            _project.PauseAt(step);
            id = await DrainAsync(service.Client, expectDuplicate: false);
            await Eventually.TrueAsync(() => _project.Paused()?.StartsWith(step, StringComparison.Ordinal) == true, $"the fake to stop at {step}");
            await service.KillWithChildrenAsync();
        }
        File.Delete(Path.Combine(_project.Control, "pause"));

        using (var restarted = ServiceProcess.Start(_project, port, Configure))
        {
            await restarted.WaitHealthyAsync();
            await Eventually.TrueAsync(() => restarted.Operation(id)["state"]!.GetValue<string>() is "succeeded" or "failed", "the drain to end", 90);
            Assert.Equal(("succeeded", 1), (restarted.Operation(id)["state"]!.GetValue<string>(), restarted.Operation(id)["resumes"]!.GetValue<int>()));
            Assert.Equal(id, await DrainAsync(restarted.Client, expectDuplicate: true));
        }
        Assert.Equal(["a2"], _project.ConfiguredNodes("burst"));
        Assert.Equal(["a2"], _project.Servers("burst"));
        Assert.Equal(["a2"], _project.DeployedNodes("burst"));
        Assert.Null(_project.Raced());
    }

    private static async Task<string> DrainAsync(HttpClient client, bool expectDuplicate)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/console/api/drain")
        {
            Content = new StringContent("""{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ConsoleToken.Header, Token);
        request.Headers.Add(ConsoleRequestId.Header, RequestId);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(expectDuplicate, accepted["duplicate"]!.GetValue<bool>());
        return accepted["operationId"]!.GetValue<string>();
    }
}
