using System.Net.Http.Json;
using System.Text;
using Fleet.Stacks.Console;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Fleet.Stacks.Tests.Console;

/// <summary>The control service with a console token over a <see cref="TestProject"/>, the fake CLI and a <see cref="FakeGateway"/>.</summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    public const string Token = "console-token-0123456789abcdefghijklmnop";

    private ConsoleHost(TestProject project, FakeGateway gateway, WebApplication app, Uri url) =>
        (Project, Gateway, App, Url, Client) = (project, gateway, app, url, new HttpClient { BaseAddress = url });

    public TestProject Project { get; }

    public FakeGateway Gateway { get; }

    public WebApplication App { get; }

    /// <summary>The service's base address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri Url { get; }

    public HttpClient Client { get; }

    public static async Task<ConsoleHost> StartAsync(string? token = Token)
    {
        FakePulumiCli.Install();
        var project = new TestProject();
        var gateway = await FakeGateway.StartAsync(() => project.Calls().Count);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddFleetStacks(TestService.DefaultOptions(project, gateway.Url), console: new ConsoleOptions(token));
        var app = builder.Build();
        app.MapFleetStacks();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConsoleHost(project, gateway, app, new Uri(address));
    }

    /// <summary>A console action as the page sends it; <paramref name="token"/> null sends no token header.</summary>
    public Task<HttpResponseMessage> ScaleAsync(string pool, int nodes, string? token = Token, string? origin = null, string? requestId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/api/scale")
        {
            Content = new StringContent($$"""{"stack":"prod","pool":"{{pool}}","nodes":{{nodes}}}""", Encoding.UTF8, "application/json"),
        };
        if (token is not null) request.Headers.Add(ConsoleToken.Header, token);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (requestId is not null) request.Headers.Add("X-Fleet-Request-Id", requestId);
        return Client.SendAsync(request);
    }

    public async Task<int> OperationCountAsync() =>
        (await Client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/console/api/state"))!["operations"]!.AsArray().Count;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Gateway.DisposeAsync();
        Project.Dispose();
    }
}
