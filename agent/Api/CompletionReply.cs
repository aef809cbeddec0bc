namespace Fleet.Agent.Api;

/// <summary>
/// What every chunk of one response repeats (id, creation time, model, which API shape) and its layout: how many
/// choices, whether log-probabilities are sent, and the prompt's length in characters (legacy <c>text_offset</c> starts there).
/// </summary>
internal sealed record CompletionReply(string Id, long Created, string Model, bool Chat, int Choices = 1, bool Logprobs = false, int PromptChars = 0);
