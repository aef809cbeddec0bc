using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Scaling;

namespace Fleet.Stacks.Console;

/// <summary>
/// <c>app.MapFleetConsole()</c>: the operator console. Every route answers loopback and private networks only, like the
/// other reads; <c>POST</c> actions (scale, drain, replace, autoscale) additionally pass <see cref="ConsoleGuard"/> (same
/// origin, JSON, console token) and take the webhook's path, <see cref="PoolActions"/>.
/// </summary>
public static class ConsoleEndpoints
{
    private const int MaxBody = 4 * 1024;

    /// <summary>Maps the page, its assets, <c>GET /console/api/state</c> and the four action routes.</summary>
    public static WebApplication MapFleetConsole(this WebApplication app)
    {
        var sp = app.Services;
        var reader = sp.GetRequiredService<ConsoleStateReader>();
        var guard = sp.GetRequiredService<ConsoleGuard>();
        var scale = sp.GetRequiredService<ConsoleScaleAction>();
        var actions = sp.GetRequiredService<ConsoleNodeActions>();
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Fleet.Stacks.Console");

        app.MapGet("/console", c => Private(c, () => ConsoleAssets.WriteAsync(c, "console.html")));
        app.MapGet("/console/console.js", c => Private(c, () => ConsoleAssets.WriteAsync(c, "console.js")));
        app.MapGet("/console/console.css", c => Private(c, () => ConsoleAssets.WriteAsync(c, "console.css")));
        app.MapGet("/console/api/state", c => Private(c, async () =>
            await WriteAsync(c, 200, await reader.ReadAsync(c.RequestAborted), StacksJsonContext.Default.ConsoleState)));
        MapAction(app, "/console/api/scale", guard, log, scale.Accept, StacksJsonContext.Default.ScaleAccepted, a => a.Status);
        MapAction(app, "/console/api/drain", guard, log, actions.Drain, StacksJsonContext.Default.OperationAccepted, a => a.Status);
        MapAction(app, "/console/api/replace", guard, log, actions.Replace, StacksJsonContext.Default.OperationAccepted, a => a.Status);
        MapAction(app, "/console/api/autoscale", guard, log, actions.Autoscale, StacksJsonContext.Default.OperationAccepted, a => a.Status);
        return app;
    }

    /// <summary>
    /// One action route: <see cref="ConsoleGuard"/> first (nothing is read before it passes), a bounded body, then the action;
    /// 202 with <c>Location</c> set to the operation, or the refusal's status and error.
    /// </summary>
    private static void MapAction<T>(WebApplication app, string path, ConsoleGuard guard, ILogger log, Func<ReadOnlyMemory<byte>, string?, ActionOutcome<T>> act,
        JsonTypeInfo<T> type, Func<T, string> location) where T : class =>
        app.MapPost(path, async c =>
        {
            ConsoleAssets.SecureHeaders(c.Response);
            if (guard.Refusal(c.Request) is { } refused)
            {
                ConsoleLog.Refused(log, path, c.Connection.RemoteIpAddress?.ToString(), refused.Error.Code);
                await WriteAsync(c, refused.Status, refused.Error, StacksJsonContext.Default.ApiError);
                return;
            }
            if (await ReadBodyAsync(c) is not { } body)
            {
                await WriteAsync(c, 413, new ApiError("too_large", $"a console action is at most {MaxBody} bytes"), StacksJsonContext.Default.ApiError);
                return;
            }
            var requestId = c.Request.Headers[ConsoleRequestId.Header].ToString();
            var outcome = act(body, requestId.Length == 0 ? null : requestId);
            if (outcome.Accepted is { } accepted)
            {
                c.Response.Headers.Location = location(accepted);
                await WriteAsync(c, 202, accepted, type);
            }
            else await WriteAsync(c, outcome.Refusal!.Status, outcome.Refusal.Error, StacksJsonContext.Default.ApiError);
        });

    private static async Task Private(HttpContext context, Func<Task> answer)
    {
        ConsoleAssets.SecureHeaders(context.Response);
        if (await PrivateReaders.RefuseAsync(context)) return;
        await answer();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBody) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody) return null;
        }
        return buffer.ToArray();
    }

    private static Task WriteAsync<T>(HttpContext c, int status, T value, JsonTypeInfo<T> type)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(c.Response.Body, value, type, c.RequestAborted);
    }
}
