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

    private bool _keepProject;

    private ConsoleHost(TestProject project, FakeGateway gateway, WebApplication app, Uri url) =>
        (Project, Gateway, App, Url, Client) = (project, gateway, app, url, new HttpClient { BaseAddress = url });

    public TestProject Project { get; }

    public FakeGateway Gateway { get; }

    public WebApplication App { get; }

    /// <summary>The service's base address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri Url { get; }

    public HttpClient Client { get; }

    /// <param name="yaml">The stack file of the new test project.</param>
    /// <param name="sampleEvery">The throughput history's interval; the production default when null.</param>
    public static Task<ConsoleHost> StartAsync(string? token = Token, string yaml = TestProject.ProdYaml, TimeSpan? sampleEvery = null) =>
        StartAsync(token, new TestProject(yaml), sampleEvery);

    /// <summary>Stops this service and starts another on the same project and database (a restart); the new host owns the project.</summary>
    public async Task<ConsoleHost> RestartAsync(string? token = Token)
    {
        _keepProject = true;
        await DisposeAsync();
        return await StartAsync(token, Project, null);
    }

    private static async Task<ConsoleHost> StartAsync(string? token, TestProject project, TimeSpan? sampleEvery)
    {
        FakePulumiCli.Install();
        var gateway = await FakeGateway.StartAsync(() => project.Calls().Count);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddFleetStacks(TestService.DefaultOptions(project, gateway.Url), console: new ConsoleOptions(token, sampleEvery));
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

    /// <summary>A node or autoscaler action as the page sends it: <c>POST /console/api/{action}</c> with the token.</summary>
    public Task<HttpResponseMessage> ActAsync(string action, string body, string? token = Token, string? requestId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/console/api/{action}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Add(ConsoleToken.Header, token);
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
        if (!_keepProject) Project.Dispose();
    }
}
