using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Fleet.Stacks.Tests.Console;

/// <summary>
/// The console in a real headless Chromium against the running service, the fake CLI and the fake gateway. Waits are for
/// what the page shows (the service and the writer work at their own pace), never for a length of time.
/// </summary>
public sealed class ConsoleBrowserTests : IAsyncLifetime
{
    private const string Hostile = "<img src=x onerror=\"window.pwned=1\">";
    private const float Wait = 60_000;
    private ConsoleHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        // Samples every 200 ms, so the throughput charts fill while the test runs, of a gateway serving 240 requests a second.
        _host = await ConsoleHost.StartAsync(sampleEvery: TimeSpan.FromMilliseconds(200));
        _host.Gateway.RequestsPerSecond = 240;
        var a1 = _host.Gateway.Node("fleet-prod-burst-a1", "burst");
        (a1.SlotsBusy, a1.Backend, a1.TokensPerSecond) = (2, "cuda", 41.54);
        a1.RegisteredAt = DateTimeOffset.UtcNow - new TimeSpan(3, 4, 30, 0); // shown as "3 d 4 h" for the next half hour
        a1.Gpus.Add(("NVIDIA L4", 23034, 1200));
        _host.Gateway.Node("fleet-prod-burst-a2", "burst", state: "draining");
        _host.Gateway.Node(Hostile, "burst", state: "suspect");
        if (!File.Exists(ChromiumFactAttribute.ExecutablePath)) return;
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await _host.DisposeAsync();
    }

    [ChromiumFact]
    public async Task The_page_shows_pools_and_nodes_renders_node_names_as_text_and_scales_a_pool_with_the_token()
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(_host.Url, "/console").ToString());

        var hostileCell = page.Locator("#nodes td", new() { HasTextString = Hostile });
        await hostileCell.WaitForAsync(new() { Timeout = Wait });
        Assert.Equal(Hostile, await hostileCell.TextContentAsync());
        Assert.Equal(0, await page.Locator("#nodes img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("window.pwned"));
        Assert.Equal(["fleet-prod-burst-a1", "burst", "ready", "tiny", "cuda", "0.1.0", "2 / 4", "0", "0", "41.5", "300 ms", "NVIDIA L4: 1.2 / 22.5 GiB", "1 s", "no", "3 d 4 h"],
            await page.Locator("#nodes tbody tr", new() { HasTextString = "fleet-prod-burst-a1" }).Locator("td").AllTextContentsAsync());
        Assert.Equal(["prod", "burst", "yes", "on", "1", "6"],
            (await page.Locator("#pools tbody tr", new() { HasTextString = "burst" }).Locator("td").AllTextContentsAsync()).Take(6));
        Assert.Equal("draining", await page.Locator("#nodes tr", new() { HasTextString = "fleet-prod-burst-a2" }).Locator("td.state").TextContentAsync());

        // The throughput charts: a line per series and its summary in words (tokens/s: the fake's 10 for the one pool).
        await page.WaitForFunctionAsync("() => document.getElementById('requests-summary').textContent.startsWith('Requests/s since ')", null, new() { Timeout = Wait });
        Assert.Matches("^Tokens/s since [0-9:]{8} UTC: now 10, peak 10, average 10 over [0-9]+ samples[.]$", await page.Locator("#tokens-summary").TextContentAsync());
        Assert.Matches("^M[0-9. ]+L", await page.Locator("#requests-chart path").GetAttributeAsync("d"));
        Assert.Equal("img", await page.Locator("#tokens-chart").GetAttributeAsync("role"));

        // axe-core (WCAG 2 A/AA rules: labels, contrast, table headers, landmarks) finds nothing on the filled page.
        var axe = await page.RunAxe();
        Assert.Contains(axe.Passes, p => p.Id == "label"); // it did check the form controls
        Assert.Empty(axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})"));

        // Everything is reachable by its label.
        await page.GetByLabel("Console token").FillAsync(ConsoleHost.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await page.GetByLabel("Pool to scale").SelectOptionAsync(new SelectOptionValue { Label = "prod / burst (now 2, min 1, max 6)" });
        await page.GetByLabel("Node count").FillAsync("3");
        await page.GetByLabel("Node count").PressAsync("Enter");

        var status = page.GetByRole(AriaRole.Status);
        await page.WaitForFunctionAsync("() => document.getElementById('action-status').textContent.startsWith('Accepted op_')", null, new() { Timeout = Wait });
        var operationId = (await status.TextContentAsync())!.Split(' ')[1].TrimEnd(':');
        var row = page.Locator("#operations tbody tr", new() { HasTextString = operationId });
        await row.Locator("td.state-succeeded").WaitForAsync(new() { Timeout = Wait });
        Assert.Equal(["scale", "console", "prod / burst", "3 → 3", "succeeded"], (await row.Locator("td").AllTextContentsAsync()).Skip(2).Take(5));
        Assert.Contains(_host.Project.Calls(), c => c.Argv[0] == "up");
        Assert.Equal(["a1", "a2", "a3"], _host.Project.DeployedNodes("burst"));

        // Drain a named node: the pool one smaller with that node gone, through the same writer and a recorded up.
        await page.GetByLabel("Node", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "prod / burst / fleet-prod-burst-a1" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Drain node" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('action-status').textContent.includes(': drain fleet-prod-burst-a1, prod / burst to 2')", null, new() { Timeout = Wait });
        var drainId = (await status.TextContentAsync())!.Split(' ')[1].TrimEnd(':');
        var drainRow = page.Locator("#operations tbody tr", new() { HasTextString = drainId });
        await drainRow.Locator("td.state-succeeded").WaitForAsync(new() { Timeout = Wait });
        Assert.Equal(["drain", "console", "prod / burst", "2 → 2", "succeeded"], (await drainRow.Locator("td").AllTextContentsAsync()).Skip(2).Take(5));
        Assert.Equal(["a2", "a3"], _host.Project.DeployedNodes("burst"));
        Assert.Equal(2, _host.Project.Ups().Count);

        // Pause the pool's autoscaler: recorded as an operation, shown in the pools table.
        await page.GetByLabel("Pool autoscaler").SelectOptionAsync(new SelectOptionValue { Label = "prod / burst (on)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause autoscaler" }).ClickAsync();
        await page.Locator("#pools tbody tr", new() { HasTextString = "burst" }).Locator("td", new() { HasTextString = "paused" }).WaitForAsync(new() { Timeout = Wait });
        Assert.StartsWith("Accepted op_", await status.TextContentAsync());

        // Screenshot for the README (docs/images/console.png) when asked for.
        if (Environment.GetEnvironmentVariable("FLEET_CONSOLE_SCREENSHOT") is { Length: > 0 } shot)
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });

        // Without the token the service refuses, whatever the page does.
        await page.GetByRole(AriaRole.Button, new() { Name = "Forget token" }).ClickAsync();
        var refused = await page.EvaluateAsync<int>("""
            async () => (await fetch('/console/api/scale', { method: 'POST', headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ stack: 'prod', pool: 'burst', nodes: 5 }) })).status
            """);
        Assert.Equal(401, refused);
        Assert.Equal(3, await _host.OperationCountAsync());
    }

    [ChromiumFact]
    public async Task A_page_on_another_origin_cannot_make_the_operators_browser_act()
    {
        var page = await _browser.NewPageAsync();
        var target = new Uri(_host.Url, "/console/api/scale").ToString();
        // The attacker's page, as the browser sees it: http://evil.example, a form that posts JSON-looking text as soon as it loads.
        await page.RouteAsync("http://evil.example/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $$"""
                <form method="post" action="{{target}}" enctype="text/plain">
                  <input name='{"stack":"prod","pool":"burst","nodes":5,"x":"' value='"}'>
                </form>
                """,
        }));
        await page.GotoAsync("http://evil.example/");
        var response = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync("document.forms[0].submit()"), target, new() { Timeout = Wait });
        Assert.Equal(403, response.Status);
        Assert.Equal("cross_origin", (await response.JsonAsync())!.Value.GetProperty("code").GetString());

        // A script there cannot send the token header either: the preflight is never answered.
        await page.GotoAsync("http://evil.example/");
        var outcome = await page.EvaluateAsync<string>($$"""
            async () => { try { await fetch('{{target}}', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Fleet-Console-Token': '{{ConsoleHost.Token}}' },
                body: JSON.stringify({ stack: 'prod', pool: 'burst', nodes: 5 }) }); return 'sent'; } catch (e) { return 'blocked'; } }
            """);
        Assert.Equal("blocked", outcome);
        Assert.Equal(0, await _host.OperationCountAsync());
        Assert.Empty(_host.Project.Calls());
    }
}
