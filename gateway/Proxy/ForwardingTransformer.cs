using Yarp.ReverseProxy.Forwarder;

namespace Fleet.Gateway.Proxy;

/// <summary>YARP's default request copy, minus the client's credentials: the API key never reaches an agent.</summary>
public sealed class ForwardingTransformer : HttpTransformer
{
    /// <summary>The one instance.</summary>
    public static ForwardingTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Authorization = null;
        proxyRequest.Headers.Remove("Cookie");
    }
}
