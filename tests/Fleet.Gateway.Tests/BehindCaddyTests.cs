using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

/// <summary>The deployed chain: client → Caddy <c>reverse_proxy</c> → gateway → node.</summary>
public sealed class BehindCaddyTests
{
    [Fact]
    public async Task A_stream_passes_unbuffered_through_Caddy_and_the_gateway()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var caddy = await CaddyProcess.StartAsync(fleet.Gateway.Address);
        var hold = fleet["a1"].Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient { BaseAddress = caddy.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", fleet.Key.Secret);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestFleet.ChatBody(stream: true) };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(hold.Task.IsCompleted);
        Assert.Contains("\"content\":\"hello\"", first);
        hold.SetResult();
        Assert.EndsWith("data: [DONE]\n\n", await reader.ReadToEndAsync());
    }
}
