using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.AppLayer;

/// <summary>
/// The edge with the control service (fleet:images.control), run in a real Caddy on loopback: only the signed webhook
/// (POST /v1/scale, at most 64 KiB, byte for byte) reaches the control service; its read endpoints, which trust private
/// source addresses such as Caddy's, are never reachable from outside.
/// </summary>
public sealed class CaddyControlRouteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-caddy-control").FullName;
    private Process? _caddy;
    private readonly StringBuilder _log = new();

    [Theory]
    [InlineData("example.com", "ops@example.com")]
    [InlineData(null, null)]
    public void Caddyfiles_with_the_control_route_pass_caddy_validate(string? domain, string? email)
    {
        var path = Path.Combine(_dir, "Caddyfile");
        File.WriteAllText(path, CaddyfileBuilder.Build(new CaddyEdgeOptions(domain, email, "gateway:8080", ControlUpstream: "control:8090")));

        var (code, output) = ExternalTool.Run("caddy", "validate", "--adapter", "caddyfile", "--config", path);

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Only_the_webhook_reaches_the_control_service()
    {
        var (edge, gatewayPort, controlPort) = (FreePort(), FreePort(), FreePort());
        var gatewaySeen = new ConcurrentQueue<string>();
        var controlSeen = new ConcurrentQueue<(string Line, byte[] Body, string? WebhookId)>();
        using var gateway = Listen(gatewayPort, async ctx => { gatewaySeen.Enqueue($"{ctx.Request.HttpMethod} {ctx.Request.Url!.AbsolutePath}"); await Reply(ctx, "gateway"); });
        using var control = Listen(controlPort, async ctx =>
        {
            using var body = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(body);
            controlSeen.Enqueue(($"{ctx.Request.HttpMethod} {ctx.Request.Url!.AbsolutePath}", body.ToArray(), ctx.Request.Headers["webhook-id"]));
            await Reply(ctx, "control");
        });
        var caddyfile = Path.Combine(_dir, "Caddyfile");
        File.WriteAllText(caddyfile, CaddyfileBuilder.Build(new CaddyEdgeOptions(null, null, $"127.0.0.1:{gatewayPort}", HttpPort: edge, ControlUpstream: $"127.0.0.1:{controlPort}")));
        StartCaddy(caddyfile);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{edge}"), Timeout = TimeSpan.FromSeconds(10) };
        await WaitServingAsync(http);

        // The webhook, byte for byte with its headers: the signature covers the exact body.
        var payload = "{\"stack\":\"prod\",\"pool\":\"burst\",\"nodes\":4}  \n";
        using var webhook = new HttpRequestMessage(HttpMethod.Post, "/v1/scale") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        webhook.Headers.Add("webhook-id", "msg_1");
        var answered = await http.SendAsync(webhook);
        Assert.Equal("control", await answered.Content.ReadAsStringAsync());
        var delivered = Assert.Single(controlSeen);
        Assert.Equal("POST /v1/scale", delivered.Line);
        Assert.Equal(Encoding.UTF8.GetBytes(payload), delivered.Body);
        Assert.Equal("msg_1", delivered.WebhookId);

        // More than the service's 64 KiB limit is refused at the edge and never delivered whole. (Caddy 2.10, the image
        // the stack runs, answers 413; Debian's Caddy 2.6, which runs this test, answers 502 for the same refusal.)
        var big = await http.PostAsync("/v1/scale", new ByteArrayContent(new byte[70 * 1024]));
        Assert.True(big.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadGateway, $"a 70 KiB webhook got {(int)big.StatusCode}");
        Assert.Single(controlSeen);

        // Everything else of the control service stays private; other /v1 paths are the gateway's.
        foreach (var (method, path) in new[] { ("GET", "/v1/scale"), ("GET", "/v1/operations/op_1"), ("GET", "/v1/stacks/prod"), ("GET", "/metrics"), ("GET", "/health"), ("GET", "/console"), ("POST", "/v1/chat/completions") })
            await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Single(controlSeen);
        Assert.Contains("GET /v1/scale", gatewaySeen);
        Assert.Contains("GET /v1/operations/op_1", gatewaySeen);
        Assert.Contains("POST /v1/chat/completions", gatewaySeen);
        Assert.DoesNotContain("GET /metrics", gatewaySeen);
    }

    private static async Task Reply(HttpListenerContext ctx, string who)
    {
        var bytes = Encoding.UTF8.GetBytes(who);
        await ctx.Response.OutputStream.WriteAsync(bytes);
        ctx.Response.Close();
    }

    private static HttpListener Listen(int port, Func<HttpListenerContext, Task> handle)
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                try { await handle(ctx); }
                catch (Exception e) when (e is HttpListenerException or IOException) { ctx.Response.Abort(); } // a body cut off by the edge
            }
        });
        return listener;
    }

    private void StartCaddy(string caddyfile)
    {
        var psi = new ProcessStartInfo("caddy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in new[] { "run", "--adapter", "caddyfile", "--config", caddyfile }) psi.ArgumentList.Add(a);
        psi.Environment["XDG_DATA_HOME"] = Path.Combine(_dir, "data");
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(_dir, "config");
        _caddy = Process.Start(psi)!;
        _caddy.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _caddy.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _caddy.BeginOutputReadLine();
        _caddy.BeginErrorReadLine();
    }

    private async Task WaitServingAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(_caddy!.HasExited, "Caddy exited: " + _log);
            try { await http.GetAsync("/v1/models"); return; }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { await Task.Delay(100); } // a real process starting
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        if (_caddy is { HasExited: false }) _caddy.Kill(entireProcessTree: true);
        _caddy?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
