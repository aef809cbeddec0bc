using System.Text;
using Fleet.Gateway.Proxy;

namespace Fleet.Gateway.Tests;

public sealed class UsageMeterTests
{
    private const string Usage = """{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}""";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Sse_chunks_with_text_are_counted_whatever_the_write_sizes(int writeSize)
    {
        var meter = Feed("text/event-stream; charset=utf-8", Sse(Delta("a"), Delta("b"), Delta(""), Delta("c")) + "data: [DONE]\n\n", writeSize);
        Assert.Equal(3, meter.Tokens);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(65536)]
    public void A_json_response_over_a_mebibyte_is_charged_the_usage_at_its_end(int writeSize)
    {
        var floats = string.Join(",", Enumerable.Repeat("0.031250000123456", 1024));
        var vectors = string.Join(",", Enumerable.Range(0, 64).Select(i => "{\"object\":\"embedding\",\"index\":" + i + ",\"embedding\":[" + floats + "]}"));
        var json = "{\"object\":\"list\",\"data\":[" + vectors + "],\"model\":\"embed\",\"usage\":{\"prompt_tokens\":321,\"total_tokens\":321}}";
        Assert.True(json.Length > 1 << 20);

        var meter = new UsageMeter(promptEstimate: 9);
        meter.Begin("application/json");
        var bytes = Encoding.UTF8.GetBytes(json);
        for (var i = 0; i < bytes.Length; i += writeSize) meter.Observe(bytes.AsSpan(i, Math.Min(writeSize, bytes.Length - i)));
        meter.Complete();

        Assert.Equal(321, meter.Tokens);
        Assert.True(meter.Reported);
    }

    [Fact]
    public void Sse_usage_chunk_wins_over_counting()
    {
        var meter = Feed("text/event-stream", Sse(Delta("a"), Delta("b"), Usage), 5);
        Assert.Equal(12, meter.Tokens);
    }

    [Fact]
    public void Legacy_completion_chunks_count_their_text()
    {
        var meter = Feed("text/event-stream", Sse("""{"choices":[{"index":0,"text":"hi"}]}""", """{"choices":[{"index":0,"text":" there"}]}"""), 3);
        Assert.Equal(2, meter.Tokens);
    }

    [Fact]
    public void Json_response_is_charged_its_total_tokens()
    {
        var meter = Feed("application/json", """{"choices":[{"message":{"content":"usage inside text is not usage"}}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""", 10);
        Assert.Equal(7, meter.Tokens);
    }

    [Fact]
    public void Json_without_total_adds_prompt_and_completion()
    {
        Assert.Equal(9, Feed("application/json", """{"usage":{"prompt_tokens":4,"completion_tokens":5}}""", 100).Tokens);
    }

    [Theory]
    [InlineData("application/json", "not json at all")]
    [InlineData("application/json", """{"usage":{"total_tokens":"many"}}""")]
    [InlineData("text/event-stream", "data: {broken\n\n")]
    [InlineData("text/plain", "")]
    public void Unreadable_bodies_charge_nothing(string contentType, string body)
    {
        Assert.Equal(0, Feed(contentType, body, 4).Tokens);
    }

    private static string Delta(string text) => $$$"""{"choices":[{"index":0,"delta":{"content":"{{{text}}}"}}]}""";

    private static string Sse(params string[] events) => string.Concat(events.Select(e => $"data: {e}\r\n\r\n"));

    private static UsageMeter Feed(string contentType, string body, int writeSize)
    {
        var meter = new UsageMeter();
        meter.Begin(contentType);
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var i = 0; i < bytes.Length; i += writeSize)
            meter.Observe(bytes.AsSpan(i, Math.Min(writeSize, bytes.Length - i)));
        meter.Complete();
        return meter;
    }
}
