using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Limits;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// <c>POST /v1/chat/completions</c>, <c>/v1/completions</c> and <c>/v1/embeddings</c> (never streamed): key and limits, model allow-list, a node with room,
/// then YARP forwarding with the response streamed through unbuffered. A connection failure is retried on another
/// node only while no response byte has been sent.
/// </summary>
public sealed class CompletionsProxy(
    ApiKeyAuthenticator auth, KeyLimiter limiter, CapacityGate gate, IHttpForwarder forwarder, UpstreamClient upstream,
    GatewayOptions options, TimeProvider time, GatewayMetrics metrics, ILogger<CompletionsProxy> logger)
{
    private const int MaxAttempts = 3;

    // The model a request was routed for, once known to be one the fleet serves or is configured for (the metrics label).
    private const string RoutedModel = "fleet.routedModel";

    /// <summary>Handles one completions request.</summary>
    public Task HandleAsync(HttpContext context) => HandleAsync(context, embeddings: false);

    /// <summary>Handles one embeddings request: routed and metered like a completion (its <c>usage.prompt_tokens</c>), never streamed.</summary>
    public Task HandleEmbeddingsAsync(HttpContext context) => HandleAsync(context, embeddings: true);

    private async Task HandleAsync(HttpContext context, bool embeddings)
    {
        var started = time.GetTimestamp();
        var key = await auth.AdmitAsync(context);
        if (key is null) return;
        try
        {
            await ForwardAsync(context, key, embeddings);
        }
        finally
        {
            metrics.KeyRequests.WithLabels(key.MetricsKey, StatusText(context.Response.StatusCode)).Inc();
            if (context.Items[RoutedModel] is string model) metrics.ModelRequests.WithLabels(model, StatusText(context.Response.StatusCode)).Inc();
            metrics.RequestDuration.Observe(time.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task ForwardAsync(HttpContext context, ApiKey key, bool embeddings)
    {
        var body = await ReadBodyAsync(context);
        if (body is null) return;
        if (CompletionRequest.Parse(body, out var problem) is not { } request)
        {
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_request", problem!);
            return;
        }
        if (embeddings && request.Stream)
        {
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "unsupported_parameter",
                "Embeddings are not streamed: leave out \"stream\" (or set it to false).", param: "stream");
            return;
        }
        if (!key.Allows(request.Model))
        {
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "invalid_request_error", "model_not_allowed",
                $"The key '{key.Name}' may not use model '{request.Model}'.");
            return;
        }

        // The prompt's estimate is reserved up front (concurrent requests cannot all spend one balance) and given back at
        // the end, when the tokens the node reports are charged instead.
        var estimate = UsageMeter.EstimatePromptTokens(body.Length);
        var reservation = limiter.TryReserveTokens(key, estimate);
        if (!reservation.Allowed)
        {
            await auth.RefuseAsync(context, key, reservation);
            return;
        }
        try
        {
            await RouteAsync(context, key, request, body, estimate);
        }
        finally
        {
            limiter.ChargeTokens(key, -estimate);
        }
    }

    private async Task RouteAsync(HttpContext context, ApiKey key, CompletionRequest request, byte[] body, long estimate)
    {
        // Every stream reports its usage to the gateway, so prompt and completion tokens are charged whatever the client asked.
        var stripUsage = request.Stream && !request.IncludeUsage;
        var forwarded = stripUsage ? StreamOptionsInjector.WithIncludeUsage(body) : body;
        List<NodeEntry>? failed = null;
        for (var attempt = 1; ; attempt++)
        {
            var route = await gate.AcquireAsync(request.Model, failed, context.RequestAborted);
            if (route.Failure != RouteFailure.UnknownModel) context.Items[RoutedModel] = request.Model;
            if (route.Lease is not { } lease)
            {
                await RefuseAsync(context, request.Model, route.Failure);
                return;
            }
            using (lease)
            {
                if (await SendAsync(context, key, lease.Node, forwarded, estimate, stripUsage)) return;
            }
            if (attempt == MaxAttempts) break;
            (failed ??= []).Add(lease.Node);
        }
        await OpenAiErrors.WriteAsync(context, StatusCodes.Status502BadGateway, "server_error", "upstream_unreachable",
            "No inference node could be reached. Please retry.", options.HeartbeatInterval);
    }

    // True when done (answered, successfully or not); false when the node could not be reached and nothing was sent.
    private async Task<bool> SendAsync(HttpContext context, ApiKey key, NodeEntry node, byte[] body, long promptEstimate, bool stripUsage)
    {
        var endpoint = node.Last!.Endpoint;
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        var meter = new UsageMeter(promptEstimate);
        var clientBody = context.Response.Body;
        var filter = stripUsage ? new UsageChunkFilter(context.Response, clientBody) : null;
        context.Response.Body = new MeteredResponseStream(context.Response, (Stream?)filter ?? clientBody, meter);
        ForwarderError error;
        try
        {
            error = await forwarder.SendAsync(context, endpoint, upstream.Invoker, upstream.RequestConfig, ForwardingTransformer.Instance);
            if (filter is not null && !context.RequestAborted.IsCancellationRequested) await filter.CompleteAsync(context.RequestAborted);
        }
        finally
        {
            context.Response.Body = clientBody;
        }

        // Tokens a node produced are charged even when the stream broke off (the client left, the node failed).
        meter.Complete();
        if (context.Response.StatusCode is >= 200 and < 300 && meter.Tokens > 0)
        {
            limiter.ChargeTokens(key, meter.Tokens);
            metrics.KeyTokens.WithLabels(key.MetricsKey).Inc(meter.Tokens);
        }
        if (error == ForwarderError.None)
        {
            metrics.CountNodeRequest(node, "ok");
            return true;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error == ForwarderError.Request && !context.Response.HasStarted && IsConnectFailure(exception))
        {
            node.Unreachable = true;
            metrics.CountNodeRequest(node, "connect_error");
            GatewayLog.NodeUnreachable(logger, node.Name, exception?.Message ?? error.ToString());
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            return false;
        }

        metrics.CountNodeRequest(node, "error");
        if (!context.RequestAborted.IsCancellationRequested)
            GatewayLog.ForwardFailed(logger, node.Name, $"{error}: {exception?.Message}");
        if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var status = context.Response.StatusCode is >= 500 ? context.Response.StatusCode : StatusCodes.Status502BadGateway;
            context.Response.Clear();
            await OpenAiErrors.WriteAsync(context, status, "server_error", "upstream_error", $"The inference node failed ({error}). Please retry.");
        }
        return true;
    }

    private static bool IsConnectFailure(Exception? e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        HttpRequestException { InnerException: System.Net.Sockets.SocketException } => true,
        _ => false,
    };

    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > options.MaxRequestBodyBytes)
        {
            await TooLargeAsync(context);
            return null;
        }
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = options.MaxRequestBodyBytes;
        try
        {
            if (context.Request.ContentLength is { } length)
            {
                // The usual case: one exact-size array, replayed as the body of every forwarding attempt.
                var body = new byte[length];
                await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
                return body;
            }
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLargeAsync(context);
            return null;
        }
    }

    private Task TooLargeAsync(HttpContext context) =>
        OpenAiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "request_too_large",
            $"The request body exceeds the limit of {options.MaxRequestBodyBytes} bytes (FLEET_MAX_REQUEST_BODY_BYTES). Shorten the prompt: " +
            "it must fit the model's context anyway.");

    private Task RefuseAsync(HttpContext context, string model, RouteFailure failure)
    {
        if (failure == RouteFailure.UnknownModel)
            return OpenAiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found",
                $"The model '{model}' is not served by any node.");
        metrics.NoCapacity.Inc();
        if (failure == RouteFailure.NotReady)
        {
            GatewayLog.NoCapacity(logger, model, options.ScaleFromZeroTimeout.TotalSeconds);
            return OpenAiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "server_error", "model_not_ready",
                $"No node serving model '{model}' is ready yet (the fleet is starting one). Please retry.", NotReadyRetryAfter);
        }
        GatewayLog.NoCapacity(logger, model, options.QueueTimeout.TotalSeconds);
        return OpenAiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "server_error", "no_capacity",
            $"No inference capacity for model '{model}' right now. Please retry.", options.HeartbeatInterval);
    }

    /// <summary><c>Retry-After</c> of a request for a configured model that no node became ready for in time.</summary>
    private static readonly TimeSpan NotReadyRetryAfter = TimeSpan.FromSeconds(30);

    private static string StatusText(int status) => status switch
    {
        200 => "200",
        400 => "400",
        403 => "403",
        404 => "404",
        413 => "413",
        429 => "429",
        502 => "502",
        503 => "503",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
