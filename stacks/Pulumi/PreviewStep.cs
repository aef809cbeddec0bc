namespace Fleet.Stacks.Pulumi;

/// <summary>
/// One <c>display.PreviewStep</c> (pulumi/pulumi v3.259.0 <c>pkg/display/json.go</c>): <c>op</c> is a
/// <c>deploy.StepOp</c> label (<c>pkg/resource/deploy/step.go</c>: same, create, update, delete, replace,
/// create-replacement, delete-replaced, read, read-replacement, refresh, discard, discard-replaced,
/// remove-pending-replace, import, import-replacement, diff, extend-parameterize).
/// </summary>
/// <param name="Urn"><c>urn:pulumi:&lt;stack&gt;::&lt;project&gt;::&lt;type&gt;::&lt;name&gt;</c>.</param>
/// <param name="DiffReasons">Properties causing an update.</param>
/// <param name="ReplaceReasons">Properties causing a replacement.</param>
public sealed record PreviewStep(string Op, string Urn, string? Provider, IReadOnlyList<string>? DiffReasons, IReadOnlyList<string>? ReplaceReasons)
{
    /// <summary>The resource's logical name: what follows the URN's third <c>::</c> (a name may itself contain <c>::</c>).</summary>
    public string Name => Parts() is { Length: 4 } p ? p[3] : Urn;

    /// <summary>The resource's qualified type (parent types joined by <c>$</c>), or "" when the URN is not one.</summary>
    public string Type => Parts() is { Length: 4 } p ? p[2] : "";

    private string[]? Parts() =>
        Urn.StartsWith("urn:pulumi:", StringComparison.Ordinal) ? Urn["urn:pulumi:".Length..].Split("::", 4) : null;
}
