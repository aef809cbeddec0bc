namespace Fleet.Stacks.Pulumi;

/// <summary>
/// What <c>pulumi preview --json</c> prints: the CLI's <c>display.PreviewDigest</c> (pulumi/pulumi v3.259.0,
/// <c>pkg/display/json.go</c>; rendered by <c>ShowPreviewDigest</c> in <c>pkg/backend/display/json.go</c> once the
/// preview's events are done). Only the fields the plan guard reads; the rest (<c>config</c>, <c>duration</c>,
/// <c>maybeCorrupt</c>, the steps' <c>oldState</c>/<c>newState</c>/<c>detailedDiff</c>) is skipped.
/// </summary>
/// <param name="Steps">Every step the engine intends to take (<c>same</c> only with <c>--show-sames</c>; the root stack always).</param>
/// <param name="ChangeSummary">op → count (<c>display.ResourceChanges</c>), e.g. create: 3, same: 40.</param>
/// <param name="Diagnostics">Warnings and errors of the preview.</param>
public sealed record PreviewDigest(IReadOnlyList<PreviewStep>? Steps, IReadOnlyDictionary<string, int>? ChangeSummary, IReadOnlyList<PreviewDiagnostic>? Diagnostics);
