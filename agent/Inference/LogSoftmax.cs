namespace Fleet.Agent.Inference;

/// <summary>
/// Log-probabilities from raw logits, as llama-server reports them by default (<c>post_sampling_probs</c> false):
/// log-softmax over the whole vocabulary, before logit bias, penalties, filters or temperature.
/// </summary>
internal static class LogSoftmax
{
    /// <summary>log Σ exp(logit): subtract it from a logit to get that token's log-probability.</summary>
    public static float LogNormalizer(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits) if (l > max) max = l;
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return max + (float)Math.Log(sum);
    }

    /// <summary>The <paramref name="k"/> tokens with the highest logits, best first (ties: lower id first).</summary>
    public static int[] TopTokens(ReadOnlySpan<float> logits, int k)
    {
        k = Math.Min(k, logits.Length);
        if (k <= 0) return [];
        var best = new int[k];
        var count = 0;
        for (var t = 0; t < logits.Length; t++)
        {
            if (count == k && logits[t] <= logits[best[k - 1]]) continue;
            var at = count < k ? count++ : k - 1;
            while (at > 0 && logits[best[at - 1]] < logits[t])
            {
                best[at] = best[at - 1];
                at--;
            }

            best[at] = t;
        }

        return best;
    }
}
