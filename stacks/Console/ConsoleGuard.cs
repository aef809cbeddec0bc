using Fleet.Stacks.Hosting;

namespace Fleet.Stacks.Console;

/// <summary>
/// Who may act through the console. Every action is a <c>POST</c> of <c>application/json</c> carrying the console token in
/// <see cref="ConsoleToken.Header"/>; a browser sends neither that header nor that content type cross-origin without a
/// CORS preflight, which this service never answers, so a page elsewhere cannot make the operator's browser act. On top
/// of that a request whose <c>Origin</c> (or <c>Sec-Fetch-Site</c>) says it came from another site is refused outright.
/// </summary>
public sealed class ConsoleGuard(ConsoleToken token)
{
    /// <summary>Null when the action may go ahead; otherwise the status and error to answer with. Checks in this order:
    /// private network, same origin, JSON body, token.</summary>
    public (int Status, ApiError Error)? Refusal(HttpRequest request)
    {
        if (!PrivateReaders.IsAllowed(request.HttpContext.Connection.RemoteIpAddress))
            return (403, new ApiError("private_only", "the console is served to loopback and private networks only; open it through an SSH tunnel (stacks/README.md, \"Operator console\")"));
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return (403, new ApiError("cross_origin", $"console actions come from the console page itself; this request came from a {site} page", "Sec-Fetch-Site"));
        var origin = request.Headers.Origin.ToString();
        var own = $"{request.Scheme}://{request.Host}";
        if (origin.Length > 0 && !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
            return (403, new ApiError("cross_origin", $"console actions are accepted from {own} only, not from {Shorten(origin)}", "Origin"));
        if (!IsJson(request.ContentType))
            return (415, new ApiError("unsupported_media_type", $"send the action as content-type application/json, not {(string.IsNullOrEmpty(request.ContentType) ? "no content type" : Shorten(request.ContentType))}", "content-type"));
        if (!token.Configured)
            return (403, new ApiError("console_read_only", $"this service has no console token, so the console only shows the fleet; set {ConsoleOptionsReader.TokenFileVariable} and restart to allow actions"));
        if (!token.Matches(request.Headers[ConsoleToken.Header]))
            return (401, new ApiError("invalid_token", $"the console token is missing or wrong; enter the token from the file {ConsoleOptionsReader.TokenFileVariable} names", ConsoleToken.Header));
        return null;
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string value) => value.Length > 100 ? value[..100] + "…" : value;
}
