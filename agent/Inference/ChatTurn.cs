namespace Fleet.Agent.Inference;

/// <summary>One chat message as the template sees it.</summary>
public sealed record ChatTurn(string Role, string Content);
