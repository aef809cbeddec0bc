namespace Fleet.Stacks.Hosting;

/// <summary>
/// Every answer the routes do not write themselves is JSON too: an unknown route (404), a wrong method (405, naming the
/// allowed ones) and an unexpected failure (500, a trace id and never a stack trace; the exception goes to the log).
/// </summary>
public static class JsonErrors
{
    public const string Routes = "POST /v1/scale, GET /v1/operations/{id}, GET /v1/stacks/{stack}, GET /health, GET /metrics, GET /console, GET /console/api/state, POST /console/api/scale, POST /console/api/drain, POST /console/api/replace, POST /console/api/autoscale";

    public static WebApplication UseJsonErrors(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fleet.Stacks.Http");
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                log.LogError(e, "{Method} {Path} failed ({TraceId})", context.Request.Method, context.Request.Path.Value, context.TraceIdentifier);
                context.Response.Clear();
                await StacksEndpoints.ErrorAsync(context, 500, "internal_error", $"the service failed to answer this request; its log has the details under trace id {context.TraceIdentifier}");
                return;
            }
            if (context.Response.HasStarted || context.Response.ContentType is not null) return;
            var method = context.Request.Method;
            var path = context.Request.Path.Value ?? "/";
            if (path.Length > 200) path = path[..200] + "…";
            switch (context.Response.StatusCode)
            {
                case 404:
                    await StacksEndpoints.ErrorAsync(context, 404, "unknown_route", $"no route {method} {path}; this service answers {Routes}");
                    break;
                case 405:
                    var allowed = context.Response.Headers.Allow.ToString();
                    await StacksEndpoints.ErrorAsync(context, 405, "method_not_allowed",
                        $"{method} is not allowed on {path}; use {(allowed.Length > 0 ? allowed : "another method")}");
                    break;
            }
        });
        return app;
    }
}
