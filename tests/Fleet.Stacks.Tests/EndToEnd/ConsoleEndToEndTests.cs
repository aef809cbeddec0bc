using Fleet.Stacks.Console;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Tests.Console;
using Fleet.Stacks.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;

namespace Fleet.Stacks.Tests.EndToEnd;

/// <summary>
/// The console in a real headless Chromium against real parts: a real gateway, two real agent processes
/// (<c>fleet-prod-burst-a1</c>, <c>-a2</c>, deployed before the test) beating into it, and the control service on the
/// fake <c>pulumi</c>, whose <c>up</c> starts an agent for each node it creates. Waits are for what the page shows.
/// </summary>
public sealed class ConsoleEndToEndTests : IAsyncLifetime
{
    private const float Wait = 60_000;
    private readonly TestProject _project = new();
    private RealGateway _gateway = null!;
    private AgentProcesses _agents = null!;
    private WebApplication _service = null!;
    private Uri _url = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _gateway = await RealGateway.StartAsync([AgentProcesses.Model], TimeSpan.FromMinutes(5));
        _agents = new AgentProcesses(_project, _gateway);
        _agents.Enable();
        try
        {
            _agents.StartDeployed("burst", "a1");
            _agents.StartDeployed("burst", "a2");
            await Eventually.TrueAsync(() => _gateway.NodesAsync().GetAwaiter().GetResult().Count(n => n.Value["state"]!.GetValue<string>() == "ready") == 2,
                "both agents ready at the gateway");
        }
        catch
        {
            _agents.Dispose(); // no agent left behind, whether or not xUnit still calls DisposeAsync
            throw;
        }

        FakePulumiCli.Install();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddFleetStacks(TestService.DefaultOptions(_project, _gateway.Url), console: new ConsoleOptions(ConsoleHost.Token));
        _service = builder.Build();
        _service.MapFleetStacks();
        await _service.StartAsync();
        _url = new Uri(_service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        if (!File.Exists(ChromiumFactAttribute.ExecutablePath)) return;
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _agents?.Dispose();
        if (_service is not null) await _service.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
        _project.Dispose();
    }

    [ChromiumFact]
    public async Task The_page_shows_both_agents_a_killed_one_turns_suspect_and_a_scale_action_runs_an_up_that_starts_a_third()
    {
        var page = await _browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(_url, "/console").ToString());

        foreach (var node in new[] { "fleet-prod-burst-a1", "fleet-prod-burst-a2" })
        {
            var row = Row(page, node);
            await row.Locator("td.state", new() { HasTextString = "ready" }).WaitForAsync(new() { Timeout = Wait });
            Assert.Equal([node, "burst", "ready", AgentProcesses.Model, "cpu", "0.1.0"], (await row.Locator("td").AllTextContentsAsync()).Take(6));
        }

        // a2's server dies: no drain, no last heartbeat. The page turns it suspect on its own (it polls; no reload).
        _agents.Kill("fleet-prod-burst-a2");
        await Row(page, "fleet-prod-burst-a2").Locator("td.state", new() { HasTextString = "suspect" }).WaitForAsync(new() { Timeout = Wait });
        Assert.Equal("ready", await Row(page, "fleet-prod-burst-a1").Locator("td.state").TextContentAsync());

        // Scale burst 2 → 3 from the page, with the token.
        await page.GetByLabel("Console token").FillAsync(ConsoleHost.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await page.GetByLabel("Pool to scale").SelectOptionAsync(new SelectOptionValue { Value = """["prod","burst"]""" });
        await page.GetByLabel("Node count").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Scale", Exact = true }).ClickAsync();

        await page.WaitForFunctionAsync("() => document.getElementById('action-status').textContent.startsWith('Accepted op_')", null, new() { Timeout = Wait });
        var operationId = (await page.GetByRole(AriaRole.Status).TextContentAsync())!.Split(' ')[1].TrimEnd(':');
        var operation = page.Locator("#operations tbody tr", new() { HasTextString = operationId });
        await operation.Locator("td.state-succeeded").WaitForAsync(new() { Timeout = Wait });
        Assert.Equal(["scale", "console", "prod / burst"], (await operation.Locator("td").AllTextContentsAsync()).Skip(2).Take(3));

        // The fake recorded exactly that up, which created a3 and started its agent; the page shows it ready.
        var up = Assert.Single(_project.Ups());
        Assert.Contains("\"a3\"", up.StackFile);
        Assert.Equal(["a1", "a2", "a3"], _project.DeployedNodes("burst"));
        Assert.Contains(_agents.Log(), l => l.StartsWith("start fleet-prod-burst-a3 ", StringComparison.Ordinal));
        await Row(page, "fleet-prod-burst-a3").Locator("td.state", new() { HasTextString = "ready" }).WaitForAsync(new() { Timeout = Wait });
    }

    private static ILocator Row(IPage page, string node) =>
        page.Locator("#nodes tbody tr").Filter(new() { Has = page.Locator("td:first-child", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{node}$") }) });
}
