namespace Fleet.Agent.Inference;

/// <summary>
/// A message holds a control token's text and the chat template rewrites content, so the agent cannot keep that text
/// from becoming a control token: the request is refused instead.
/// </summary>
public sealed class ControlTextException()
    : Exception("a message contains the text of one of the model's control tokens, and this model's chat template " +
                "rewrites message content, so it cannot be kept as plain text; remove the control-token text");
