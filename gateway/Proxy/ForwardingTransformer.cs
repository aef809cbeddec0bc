using Yarp.ReverseProxy.Forwarder;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// YARP's default request copy, minus the client's credentials and query string: the API key never reaches an agent,
/// even from a client that put it in the URL (OpenAI's completion routes take no query parameters).
/// </summary>
public sealed class ForwardingTransformer : HttpTransformer
{
    /// <summary>The one instance.</summary>
    public static ForwardingTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, httpContext.Request.Path, QueryString.Empty);
        proxyRequest.Headers.Authorization = null;
        proxyRequest.Headers.Remove("Cookie");
    }
}
