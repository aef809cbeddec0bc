namespace Fleet.Agent.Api;

/// <summary>What every chunk of one response repeats: id, creation time, model, and which API shape.</summary>
internal sealed record CompletionReply(string Id, long Created, string Model, bool Chat);
