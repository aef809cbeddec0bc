using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Fleet.Gateway.Bench;

/// <summary>A fast stand-in for an inference node: answers every chat completion at once with a fixed JSON body.</summary>
public sealed class StubAgent : IAsyncDisposable
{
    private static readonly byte[] Answer =
        """{"id":"cmpl-1","object":"chat.completion","created":1700000000,"model":"tiny","choices":[{"index":0,"message":{"role":"assistant","content":"hello from the stub"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}"""u8.ToArray();

    /// <summary>The decode slots the stub claims in its heartbeats (the bench gives the gateway this as its slot cap).</summary>
    public const int Slots = 4096;

    private readonly WebApplication _app;

    private StubAgent(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<StubAgent> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async c =>
        {
            // Read the request like a real server would before answering.
            var buffer = new byte[4096];
            while (await c.Request.Body.ReadAsync(buffer) > 0) { }
            c.Response.ContentType = "application/json";
            c.Response.ContentLength = Answer.Length;
            await c.Response.Body.WriteAsync(Answer);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StubAgent(app, new Uri(address));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
