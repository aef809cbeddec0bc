using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>The start-up reconciliation's <c>up</c> is previewed and guarded like any other.</summary>
public sealed class ReconcileGuardTests : IDisposable
{
    private readonly TestProject _project = new(TestProject.ProdYaml.Replace("nodes: [\"a1\", \"a2\"]", "nodes: [\"a1\", \"a2\", \"a3\"]", StringComparison.Ordinal));

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_refused_reconciliation_applies_nothing_and_leaves_no_debt_behind()
    {
        _project.PreviewAlsoPlans("replace manager-server");
        var file = _project.StackFile();
        await using var service = await TestService.StartAsync(TestService.DefaultOptions(_project));

        // At start the file lists a3, the cloud does not: an up is owed, previewed, and refused.
        await Eventually.TrueAsync(() => _project.Previews().Count == 1, "the start-up reconciliation's preview");
        // Wait for the refused run to be recorded (its debt dropped) rather than for a fixed time: under load one second
        // was not always enough. After that nothing may preview again on its own (no loop).
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(50))
        {
            var view = (await service.Client.GetFromJsonAsync<JsonObject>("/v1/stacks/prod"))!;
            if (view["lastRun"]?["finishedAt"] is not null && view["upOwed"] is null) break;
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"the refused run was never recorded as finished: {view}");
        }
        Assert.Single(_project.Previews());
        Assert.Empty(_project.Ups());
        Assert.Equal(file, _project.StackFile()); // the operator's file is left as it is
        // The debt the refused run wrote is dropped; the difference itself is seen again by the next run.
        Assert.Null((await service.Client.GetFromJsonAsync<JsonObject>("/v1/stacks/prod"))!["upOwed"]);

        _project.PreviewAlsoPlans();
        var op = await service.FinishedOperationAsync(await service.AcceptedOperationAsync("burst", 3));
        Assert.Equal("succeeded", op["operation"]!["state"]!.GetValue<string>());
        Assert.Single(_project.Ups());
        Assert.Equal(["a1", "a2", "a3"], _project.DeployedNodes("burst"));
    }
}
