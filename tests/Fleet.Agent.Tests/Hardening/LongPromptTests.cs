using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Hardening;

/// <summary>
/// Prompts far beyond the context: refused before tokenizing; long ones tokenized in bounded, cancellable pieces.
/// Before: 250 KB of "a" took ~20 s to tokenize, kept going after the client left, and a 40 KB run of "!" on a
/// `default` pre-tokenizer crashed the process (std::regex recursion on a thread-pool stack).
/// </summary>
public sealed class LongPromptTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task A_prompt_that_cannot_fit_is_refused_before_tokenizing()
    {
        var started = Stopwatch.StartNew();
        using var response = await AgentCalls.CompleteAsync(fixture.Agent.Http, new string('a', 250_000));
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("prompt", error.GetProperty("param").GetString());
        Assert.Contains("250000 bytes", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_prompt_byte_limit_is_the_smaller_of_the_setting_and_what_could_fit()
    {
        // Scripted vocabulary: the longest ordinary token is " seven" (6 bytes); a slot holds 1 024 tokens.
        Assert.Equal(6 * 1024, fixture.Agent.Engine.MaxPromptBytes);
        Assert.Contains("prompts up to 6144 bytes are tokenized", fixture.Agent.Logs.All);
        await using var capped = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MAX_PROMPT_BYTES", "2048")));
        Assert.Equal(2048, capped.Engine.MaxPromptBytes);
        using var response = await AgentCalls.CompleteAsync(capped.Http, string.Join(" ", Enumerable.Repeat("one", 600)));
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("FLEET_MAX_PROMPT_BYTES", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_chat_that_cannot_fit_is_refused_naming_messages()
    {
        var started = Stopwatch.StartNew();
        using var response = await AgentCalls.ChatAsync(fixture.Agent.Http, new string('a', 250_000));
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("messages", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_body_far_beyond_any_prompt_gets_413_in_the_OpenAI_shape()
    {
        // Raw HTTP: the agent answers from the headers, before the client sends its 8 MB (HttpClient would see a
        // broken pipe while still writing).
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Agent.BaseAddress.Host, fixture.Agent.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /v1/completions HTTP/1.1\r\nHost: agent\r\n" +
            "Content-Type: application/json\r\nContent-Length: 8000000\r\nExpect: 100-continue\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 413", answer);
        using var doc = JsonDocument.Parse(answer[answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Long_text_split_at_spaces_tokenizes_exactly_as_one_piece()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_PARALLEL_SLOTS", "1")));
        var prompt = string.Join(" ", Enumerable.Repeat("one", 3000)); // 12 KB: several tokenizer chunks
        using var response = await AgentCalls.CompleteAsync(agent.Http, prompt);
        Assert.Equal(3001, await AgentCalls.PromptTokensAsync(response)); // <s> + 3000 x "▁one"
    }

    [Fact]
    public async Task An_unbroken_prompt_within_the_bound_is_tokenized_quickly()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_CONTEXT_SIZE", "65536"), ("FLEET_PARALLEL_SLOTS", "1")));
        var started = Stopwatch.StartNew();
        using var response = await AgentCalls.CompleteAsync(agent.Http, new string('a', 250_000)); // > 65536 tokens: refused after tokenizing
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"took {started.Elapsed} (was ~20 s in one piece)");
    }

    [Fact]
    public async Task Tokenization_stops_when_the_client_leaves()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_CONTEXT_SIZE", "65536"), ("FLEET_PARALLEL_SLOTS", "1")));
        using var leave = new CancellationTokenSource();
        var pending = AgentCalls.CompleteAsync(agent.Http, new string('a', 300_000), leave.Token);
        await WaitAdmittedAsync(agent, pending);
        leave.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var gone = Stopwatch.StartNew();
        while (agent.Engine.Admission.InSystem > 0 && gone.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10);
        Assert.Equal(0, agent.Engine.Admission.InSystem);
        Assert.True(gone.Elapsed < TimeSpan.FromSeconds(1), $"tokenization went on for {gone.Elapsed} after the client left");
    }

    [Fact]
    public async Task Shutdown_during_a_long_tokenization_stays_within_the_drain_limit()
    {
        var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_CONTEXT_SIZE", "65536"), ("FLEET_PARALLEL_SLOTS", "1"),
            ("FLEET_DRAIN_TIMEOUT_SECONDS", "1")));
        using var client = new HttpClient { BaseAddress = agent.BaseAddress }; // outlives the host's own client
        var pending = AgentCalls.CompleteAsync(client, new string('a', 300_000));
        await WaitAdmittedAsync(agent, pending);
        var stopping = Stopwatch.StartNew();
        await agent.DisposeAsync(); // a native crash here (weights freed under a running tokenizer) kills the test host
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(4), $"shutdown took {stopping.Elapsed} with a 1 s drain limit");
        try
        {
            using var answer = await pending;
            Assert.NotEqual(HttpStatusCode.OK, answer.StatusCode);
        }
        catch (HttpRequestException)
        {
            // the connection closed with the server: also an acceptable end
        }
    }

    [Fact]
    public async Task A_long_punctuation_run_on_a_default_pretokenizer_gets_an_answer_not_a_crash()
    {
        var path = new BpeModel().WriteTo(TestModels.NewPath("bpe-default.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", path), ("FLEET_CONTEXT_SIZE", "16384"),
            ("FLEET_PARALLEL_SLOTS", "1")));
        using var fits = await AgentCalls.CompleteAsync(agent.Http, new string('!', 40_000)); // "!!!!" tokens: 10 000
        Assert.Equal(10_000, await AgentCalls.PromptTokensAsync(fits));
        using var chat = await AgentCalls.ChatAsync(agent.Http, new string('!', 60_000) + " hello" + new string(' ', 20_000));
        var error = await AgentCalls.ErrorAsync(chat, HttpStatusCode.BadRequest);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
    }

    /// <summary>Tokenization counts against admission (slots + queue), so the request shows up there while it runs.</summary>
    private static async Task WaitAdmittedAsync(AgentHost agent, Task pending)
    {
        var waited = Stopwatch.StartNew();
        while (agent.Engine.Admission.InSystem == 0 && !pending.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(2);
        Assert.True(agent.Engine.Admission.InSystem > 0, "a request being tokenized must hold its admission");
    }
}
