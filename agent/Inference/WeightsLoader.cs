using Fleet.Agent.Native;
using LLama;
using LLama.Common;

namespace Fleet.Agent.Inference;

/// <summary>
/// Loads weights and creates the shared batched context, turning llama.cpp's logged reason for a failure into the
/// exception message (.NET only sees LoadWeightsFailedException; "invalid magic" is only in the native log).
/// </summary>
internal static class WeightsLoader
{
    public static async Task<(LLamaWeights Weights, InferenceContext Executor)> LoadAsync(ModelParams parameters, CancellationToken ct)
    {
        var nativeLines = new List<string>();
        try
        {
            return await Task.Run(() =>
            {
                // llama.cpp logs the reason on the loading thread: capture it there.
                using var capture = NativeLog.CaptureOnThisThread(out var lines);
                try
                {
                    var weights = LLamaWeights.LoadFromFile(parameters);
                    return (weights, new InferenceContext(weights, parameters));
                }
                finally
                {
                    nativeLines.AddRange(lines);
                }
            }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = nativeLines.Count > 0 ? string.Join(" | ", nativeLines) : "(llama.cpp logged no reason)";
            throw new ModelLoadException(
                $"cannot load model '{parameters.ModelPath}': {e.Message}; llama.cpp says: {reason}. " +
                "Fix: check the file is a complete GGUF (compare its sha256), or point FLEET_MODEL_PATH at another file.", e);
        }
    }
}
