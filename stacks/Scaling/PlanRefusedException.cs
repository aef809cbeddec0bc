namespace Fleet.Stacks.Scaling;

/// <summary>The preview before an <c>up</c> planned steps a node-list change must not take; the <c>up</c> did not run.</summary>
public sealed class PlanRefusedException(IReadOnlyList<RefusedStep> steps)
    : Exception($"pulumi preview planned {steps.Count} step(s) a node-list change must not take, so `pulumi up` was not run: {string.Join(", ", steps)}")
{
    public IReadOnlyList<RefusedStep> Steps { get; } = steps;
}
