using Fleet.Stacks.Hosting;

namespace Fleet.Stacks.Scaling;

/// <summary>Why a scale or node action was not recorded: the HTTP status and the error naming the field and the fix.</summary>
public sealed record ActionRefusal(int Status, ApiError Error);
