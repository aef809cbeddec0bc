using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Tests.Support;

/// <summary>A stand-in gateway on loopback: records each heartbeat and answers with what the test scripts.</summary>
public sealed class HeartbeatReceiver : IAsyncDisposable
{
    private readonly Channel<Beat> _beats = Channel.CreateUnbounded<Beat>();
    private readonly WebApplication _app;
    private int _count;

    private HeartbeatReceiver(WebApplication app) => _app = app;

    /// <summary>Answer for the n-th heartbeat (1-based) with this body: status and JSON reply.</summary>
    public Func<int, JsonElement, (int Status, string Body)> Reply { get; set; } = (_, _) => (200, """{"intervalSeconds":5,"drain":false}""");

    /// <summary>When set, heartbeats are received but never answered.</summary>
    public bool Hang { get; set; }

    public Uri Url => new(_app.Urls.First() + "/");

    public static async Task<HeartbeatReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new HeartbeatReceiver(app);
        app.MapPost("/v1/agents/heartbeat", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var n = Interlocked.Increment(ref receiver._count);
            await receiver._beats.Writer.WriteAsync(new Beat(http.Request.Headers.Authorization.ToString(), body.RootElement.Clone()));
            if (receiver.Hang) await Task.Delay(Timeout.Infinite, http.RequestAborted);
            var (status, reply) = receiver.Reply(n, body.RootElement);
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(reply);
        });
        await app.StartAsync();
        return receiver;
    }

    public async Task<Beat> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _beats.Reader.ReadAsync(timeout.Token);
    }

    public bool TryNext(out Beat? beat) => _beats.Reader.TryRead(out beat);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed record Beat(string Authorization, JsonElement Body)
    {
        public string State => Body.GetProperty("state").GetString()!;
        public long Sequence => Body.GetProperty("sequence").GetInt64();
    }
}
