using System.Net;
using Fleet.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Agent.Tests.Hardening;

/// <summary>An unexpected failure answers 500 naming the request id to look up, not the exception (before: its message).</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public async Task An_unexpected_failure_names_the_request_not_the_exception()
    {
        var clock = new FailingClock();
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(), overrides: s => s.AddSingleton<TimeProvider>(clock));
        clock.Fail = true;
        using var response = await AgentCalls.CompleteAsync(agent.Http, "hello");
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal("internal_error", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain("clock exploded", error.GetProperty("message").GetString());
        var id = error.GetProperty("message").GetString()!.Split("under request ")[1];
        Assert.Contains($"request {id} failed", agent.Logs.All);
        Assert.Contains("clock exploded", agent.Logs.All);
    }

    private sealed class FailingClock : TimeProvider
    {
        public volatile bool Fail;

        public override DateTimeOffset GetUtcNow() => Fail ? throw new InvalidOperationException("clock exploded") : base.GetUtcNow();
    }
}
