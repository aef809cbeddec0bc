using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Stacks.Console;
using Fleet.Stacks.Pulumi;
using Fleet.Stacks.Scaling;

namespace Fleet.Stacks.Hosting;

/// <summary>Source-generated JSON for everything the service reads or writes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ScaleRequest))]
[JsonSerializable(typeof(ScaleAccepted))]
[JsonSerializable(typeof(OperationAccepted))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(OperationView))]
[JsonSerializable(typeof(StackView))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(ConsoleState))]
[JsonSerializable(typeof(UpSummary))]
[JsonSerializable(typeof(UpProgress))]
[JsonSerializable(typeof(DrainOutcome[]))]
[JsonSerializable(typeof(string[]))]
public sealed partial class StacksJsonContext : JsonSerializerContext;
