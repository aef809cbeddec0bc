using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.AppLayer;

/// <summary>
/// The generated Caddy configuration, for real: <c>caddy validate</c>, and Caddy (Debian package) obtaining a certificate
/// from Pebble (Debian package, an offline ACME CA) on loopback, serving the API over verified TLS with HSTS, redirecting
/// HTTP to HTTPS and proxying to an upstream that stands in for the gateway.
/// </summary>
public sealed class CaddyPebbleTests : IDisposable
{
    private const string Domain = "fleet.test";
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-caddy").FullName;
    private readonly List<Process> _processes = [];

    [Theory]
    [InlineData("example.com", "ops@example.com")]
    [InlineData(null, null)]
    public void Generated_caddyfiles_pass_caddy_validate(string? domain, string? email)
    {
        var path = Path.Combine(_dir, "Caddyfile");
        File.WriteAllText(path, CaddyfileBuilder.Build(new CaddyEdgeOptions(domain, email, "gateway:8080")));

        var (code, output) = ExternalTool.Run("caddy", "validate", "--adapter", "caddyfile", "--config", path);

        Assert.True(code == 0, output);
        Assert.Contains("Valid configuration", output);
    }

    [Fact]
    public async Task Caddy_obtains_a_certificate_from_pebble_and_serves_the_api_over_verified_tls()
    {
        // Pebble's own HTTPS endpoint needs a certificate: make one for 127.0.0.1.
        var (pebbleCert, pebbleKey) = WritePebbleTlsCertificate();
        var (acmePort, mgmtPort, httpPort, httpsPort, upstreamPort) = (FreePort(), FreePort(), FreePort(), FreePort(), FreePort());
        var pebbleConfig = new System.Text.Json.Nodes.JsonObject
        {
            ["pebble"] = new System.Text.Json.Nodes.JsonObject
            {
                ["listenAddress"] = $"127.0.0.1:{acmePort}", ["managementListenAddress"] = $"127.0.0.1:{mgmtPort}",
                ["certificate"] = pebbleCert, ["privateKey"] = pebbleKey, ["httpPort"] = httpPort, ["tlsPort"] = httpsPort,
                ["ocspResponderURL"] = "", ["externalAccountBindingRequired"] = false,
            },
        };
        File.WriteAllText(Path.Combine(_dir, "pebble.json"), pebbleConfig.ToJsonString());
        Start("pebble", ["-config", Path.Combine(_dir, "pebble.json")], new() { ["PEBBLE_VA_ALWAYS_VALID"] = "1", ["PEBBLE_VA_NOSLEEP"] = "1", ["PEBBLE_WFE_NONCEREJECT"] = "0" });

        using var upstream = new HttpListener();
        upstream.Prefixes.Add($"http://*:{upstreamPort}/"); // Caddy forwards the Host header api.fleet.test
        upstream.Start();
        _ = Task.Run(async () =>
        {
            while (upstream.IsListening)
            {
                var ctx = await upstream.GetContextAsync();
                var body = Encoding.UTF8.GetBytes("gateway says hello");
                ctx.Response.OutputStream.Write(body);
                ctx.Response.Close();
            }
        });

        // Pebble first: Caddy retries a failed ACME attempt only after 60 s, so starting it before Pebble listens (Pebble
        // generates its CA at start, slow on a loaded machine) failed this test once in CI.
        var pebbleRoot = await PebbleRootAsync(mgmtPort, pebbleCert);
        await PebbleGetAsync($"https://127.0.0.1:{acmePort}/dir", pebbleCert);
        var caddyfile = Path.Combine(_dir, "Caddyfile");
        File.WriteAllText(caddyfile, CaddyfileBuilder.Build(new CaddyEdgeOptions(Domain, "ops@fleet.test", $"127.0.0.1:{upstreamPort}",
            $"https://127.0.0.1:{acmePort}/dir", pebbleCert, httpPort, httpsPort)));
        Start("caddy", ["run", "--adapter", "caddyfile", "--config", caddyfile], new() { ["XDG_DATA_HOME"] = Path.Combine(_dir, "data"), ["XDG_CONFIG_HOME"] = Path.Combine(_dir, "config") });

        string? served = null;
        X509Certificate2? leaf = null;
        using var client = Client(httpsPort, httpPort, pebbleRoot, c => leaf = c);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage? response = null;
        while (DateTime.UtcNow < deadline)
        {
            // A port taken by another process between choosing and binding stops Caddy or Pebble: fail with their logs.
            Assert.True(_processes.TrueForAll(p => !p.HasExited), "Caddy or Pebble exited: " + Logs());
            try
            {
                response = await client.GetAsync($"https://api.{Domain}:{httpsPort}/v1/models");
                served = await response.Content.ReadAsStringAsync();
                break;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250); // waiting for a real external process to finish issuance, not for timing
            }
        }

        Assert.True(served is not null, "Caddy never served verified HTTPS: " + Logs());
        Assert.Equal("gateway says hello", served);
        var hsts = response!.Headers.TryGetValues("Strict-Transport-Security", out var values) ? string.Join(",", values) : "(none)";
        Assert.True(hsts == "max-age=31536000; includeSubDomains", $"HSTS header was {hsts}");
        Assert.Contains($"api.{Domain}", leaf!.GetNameInfo(X509NameType.DnsName, false) + string.Join(",", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames())));

        foreach (var privatePath in new[] { "/metrics", "/admin/v1/nodes", "/v1/agents/heartbeat", "/health" })
        {
            var status = (await client.GetAsync($"https://api.{Domain}:{httpsPort}{privatePath}")).StatusCode;
            Assert.True(status == HttpStatusCode.NotFound, $"{privatePath} answered {(int)status} through the public edge; it must stay private");
        }

        var redirect = await client.GetAsync($"http://api.{Domain}:{httpPort}/v1/models");
        Assert.True((int)redirect.StatusCode is 301 or 302 or 307 or 308, $"expected a redirect, got {(int)redirect.StatusCode}");
        Assert.Equal("https", redirect.Headers.Location!.Scheme);
    }

    private static HttpClient Client(int httpsPort, int httpPort, X509Certificate2 root, Action<X509Certificate2> seen)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // api.fleet.test resolves to loopback for this client only.
            ConnectCallback = async (ctx, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, ctx.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                {
                    if (cert is null) return false;
                    var leaf = new X509Certificate2(cert);
                    seen(leaf);
                    using var verify = new X509Chain();
                    verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    verify.ChainPolicy.CustomTrustStore.Add(root);
                    verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    if (chain is not null) foreach (var element in chain.ChainElements) verify.ChainPolicy.ExtraStore.Add(element.Certificate);
                    // The name must match too: only the chain is checked against Pebble's root, not the system store.
                    return verify.Build(leaf) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private static async Task<X509Certificate2> PebbleRootAsync(int mgmtPort, string pebbleCert) =>
        X509Certificate2.CreateFromPem(await PebbleGetAsync($"https://127.0.0.1:{mgmtPort}/roots/0", pebbleCert));

    /// <summary>GET from Pebble (trusting its own TLS certificate), waiting up to a minute for it to listen.</summary>
    private static async Task<string> PebbleGetAsync(string url, string pebbleCert)
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(pebbleCert));
        using var client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && c.Thumbprint == trusted.Thumbprint });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try { return await client.GetStringAsync(url); }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { await Task.Delay(200); }
        }
    }

    private (string Cert, string Key) WritePebbleTlsCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pebble", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_dir, "pebble-cert.pem");
        var keyPath = Path.Combine(_dir, "pebble-key.pem");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportECPrivateKeyPem());
        return (certPath, keyPath);
    }

    private void Start(string file, string[] args, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        var log = new StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
        _logs[file] = log;
    }

    private readonly Dictionary<string, StringBuilder> _logs = [];

    private string Logs() => string.Join("\n", _logs.Select(kv => $"--- {kv.Key}\n{kv.Value}"));

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
        foreach (var p in _processes)
        {
            try { p.Kill(entireProcessTree: true); p.WaitForExit(5000); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
