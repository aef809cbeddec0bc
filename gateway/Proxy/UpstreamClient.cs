using System.Diagnostics;
using System.Net;
using Fleet.Gateway.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Fleet.Gateway.Proxy;

/// <summary>The one pooled HTTP client towards agents, and the per-request forwarding settings.</summary>
public sealed class UpstreamClient(GatewayOptions options) : IDisposable
{
    /// <summary>The invoker YARP sends through: no proxy, no redirects, no decompression, no cookies.</summary>
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = options.UpstreamConnectTimeout,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
    });

    /// <summary>Activity timeout and HTTP version (exact for h2c, since prior knowledge cannot negotiate).</summary>
    public ForwarderRequestConfig RequestConfig { get; } = new()
    {
        ActivityTimeout = options.UpstreamActivityTimeout,
        Version = options.UpstreamHttpVersion,
        VersionPolicy = options.UpstreamHttpVersion.Major >= 2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
    };

    public void Dispose() => Invoker.Dispose();
}
