namespace Fleet.Gateway.Proxy;

/// <summary>The OpenAI error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiError(OpenAiErrorDetail Error);
