namespace Fleet.Gateway.Proxy;

/// <summary>The OpenAI error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiError(OpenAiErrorDetail Error);

/// <summary>The inside of an <see cref="OpenAiError"/>.</summary>
public sealed record OpenAiErrorDetail(string Message, string Type, string? Param, string? Code);
