using Fleet.Stacks.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests;

public sealed class CoalesceWindowTests
{
    [Fact]
    public async Task A_burst_into_an_idle_stack_becomes_one_up_after_the_coalesce_window()
    {
        using var project = new TestProject();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = TestService.DefaultOptions(project) with { CoalesceWindow = TimeSpan.FromMilliseconds(250) };
        await using var service = await TestService.StartAsync(options, time: time);

        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var response = await service.ScaleAsync("burst", 2 + i % 5, at: time.GetUtcNow());
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }
        Assert.Empty(project.Calls()); // nothing runs until the window has passed
        await Eventually.TrueAsync(() => { time.Advance(TimeSpan.FromMilliseconds(250)); return project.Ups().Count == 1 && !project.UpRunning() && project.Calls().Count == 4; }, "one up"); // config, preview, up, output
        Assert.Equal(["a1", "a2", "a3", "a4", "a5", "a6"], project.DeployedNodes("burst")); // the last request asked for 2 + 19 % 5 = 6
        Assert.Single(project.Ups());
    }
}
