namespace Fleet.Agent.Api;

/// <summary>A request field the agent cannot use: answered 400 <c>invalid_request_error</c> naming the field.</summary>
internal sealed class InvalidRequestException(string message, string? param, string code = "invalid_value") : Exception(message)
{
    public string? Param { get; } = param;
    public string Code { get; } = code;
}
