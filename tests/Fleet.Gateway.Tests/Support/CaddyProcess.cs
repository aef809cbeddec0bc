using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fleet.Gateway.Tests.Support;

/// <summary>A real <c>caddy run</c> (Debian package, installed by .ci/run) with a generated Caddyfile on loopback.</summary>
public sealed class CaddyProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private CaddyProcess(Process process, string dir, Uri address)
    {
        _process = process;
        _dir = dir;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts Caddy serving <c>http://127.0.0.1:port</c> with a plain <c>reverse_proxy</c> to <paramref name="upstream"/>.</summary>
    public static async Task<CaddyProcess> StartAsync(Uri upstream)
    {
        var dir = Directory.CreateTempSubdirectory("fleet-gateway-caddy-").FullName;
        var port = FreePort();
        var caddyfile = Path.Combine(dir, "Caddyfile");
        await File.WriteAllTextAsync(caddyfile, $$"""
            {
            	admin off
            	auto_https off
            }
            http://127.0.0.1:{{port}} {
            	reverse_proxy {{upstream.Authority}}
            }

            """);
        var start = new ProcessStartInfo("caddy", $"run --config \"{caddyfile}\" --adapter caddyfile")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOME"] = dir;
        start.Environment["XDG_DATA_HOME"] = dir;
        start.Environment["XDG_CONFIG_HOME"] = dir;
        var process = ExternalTool.Start(start, "caddy");
        var log = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var caddy = new CaddyProcess(process, dir, new Uri($"http://127.0.0.1:{port}"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Assert.False(process.HasExited, $"caddy exited: {log}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return caddy;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token); // polling a child process's port: no event to wait on
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
