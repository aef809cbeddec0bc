namespace Fleet.Gateway.Proxy;

/// <summary>The inside of an <see cref="OpenAiError"/>.</summary>
public sealed record OpenAiErrorDetail(string Message, string Type, string? Param, string? Code);
