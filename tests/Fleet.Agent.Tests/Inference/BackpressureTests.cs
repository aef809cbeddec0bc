using System.Diagnostics;
using System.Text;
using Fleet.Agent.Inference;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Inference;

/// <summary>A client that does not read pauses its slot instead of growing an unbounded buffer.</summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task Generation_pauses_while_the_reader_lags_and_resumes_when_it_reads()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_PARALLEL_SLOTS", "1")));
        var engine = agent.Engine;
        var prompt = await engine.PrepareTextAsync("one", CancellationToken.None);
        var request = new GenerationRequest(prompt.Tokens, 2000, [], new SamplingSettings(0, 1, null), 0, CancellationToken.None);
        Assert.True(engine.Admission.TryEnter());
        request.OnRelease(() => engine.Admission.Leave());
        engine.Enqueue(request);

        var clock = Stopwatch.StartNew();
        while (engine.PausedSlots == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the slot never paused");
            await Task.Delay(5);
        }

        Assert.Equal(256, request.Unread); // exactly the pause threshold: nothing generated beyond it
        var text = new StringBuilder();
        await foreach (var piece in request.Output.ReadAllAsync()) text.Append(piece.Text);
        var result = await request.Result;

        Assert.Equal(FinishReason.Length, result.Finish);
        Assert.Equal(2000, result.CompletionTokens);
        string[] words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
        Assert.Equal(string.Concat(Enumerable.Range(1, 2000).Select(i => " " + words[i % 10])), text.ToString());
        Assert.Equal(0, engine.PausedSlots);
    }
}
