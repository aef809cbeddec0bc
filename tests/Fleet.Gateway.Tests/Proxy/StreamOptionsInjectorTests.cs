using System.Text;
using Fleet.Gateway.Proxy;

namespace Fleet.Gateway.Tests.Proxy;

public sealed class StreamOptionsInjectorTests
{
    [Theory]
    [InlineData("""{"model":"m","stream":true}""", """{"stream_options":{"include_usage":true},"model":"m","stream":true}""")]
    [InlineData("""{ "model": "m", "stream_options": null }""", """{ "model": "m", "stream_options": {"include_usage":true} }""")]
    [InlineData("""{"stream_options":{"include_usage":false},"model":"m"}""", """{"stream_options":{"include_usage":true},"model":"m"}""")]
    [InlineData("""{"stream_options":{"a":1, "include_usage" : false ,"b":{"include_usage":false}},"model":"m"}""",
                """{"stream_options":{"include_usage":true,"a":1,"b":{"include_usage":false}},"model":"m"}""")]
    [InlineData("""{"stream_options":[1,2],"model":"m"}""", """{"stream_options":{"include_usage":true},"model":"m"}""")]
    [InlineData("""{"stream\u005foptions":{},"model":"m","messages":[{"content":"stream_options"}]}""",
                """{"stream\u005foptions":{"include_usage":true},"model":"m","messages":[{"content":"stream_options"}]}""")]
    public void Sets_include_usage_and_keeps_every_other_byte(string body, string expected)
    {
        var result = StreamOptionsInjector.WithIncludeUsage(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, Encoding.UTF8.GetString(result));
        Assert.Equal(("m", true), CompletionRequest.Parse(result, out _) is { } r ? (r.Model, r.IncludeUsage) : default);
    }

    [Theory]
    [InlineData("data: {\"id\":\"x\",\"choices\":[],\"usage\":{\"total_tokens\":5}}", true)]
    [InlineData("data:{\"usage\":{\"total_tokens\":5},\"choices\":[]}", true)]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"usage\"}}],\"usage\":{\"total_tokens\":5}}", false)]
    [InlineData("data: {\"choices\":[],\"usage\":null}", false)]
    [InlineData("data: [DONE]", false)]
    [InlineData(": comment {\"choices\":[],\"usage\":{}}", false)]
    public void Recognises_only_the_usage_chunk(string line, bool usage) =>
        Assert.Equal(usage, UsageChunkFilter.IsUsageChunk(Encoding.UTF8.GetBytes(line)));
}
