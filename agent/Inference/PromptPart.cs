namespace Fleet.Agent.Inference;

/// <summary>
/// A piece of prompt text: either written by the chat template (its control-token markers become control tokens)
/// or supplied by the client (always tokenized as plain text).
/// </summary>
public readonly record struct PromptPart(string Text, bool FromTemplate);
