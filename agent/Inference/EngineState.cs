namespace Fleet.Agent.Inference;

/// <summary>Lifecycle of the model behind the agent.</summary>
public enum EngineState
{
    Loading,
    Ready,
    Failed,
    Stopped,
}
