using System.Globalization;
using System.Text;
using Fleet.Agent.Gpu;
using Fleet.Agent.Inference;

namespace Fleet.Agent.Telemetry;

/// <summary>Renders the agent's metrics in the Prometheus text exposition format (0.0.4).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(AgentMetrics m, LlamaEngine engine, IReadOnlyList<GpuStatus> gpus)
    {
        var s = new StringBuilder(2048);
        Header(s, "fleet_agent_requests_total", "counter", "Completion requests answered, by endpoint and HTTP status.");
        foreach (var ((endpoint, status), n) in m.Requests())
            s.Append("fleet_agent_requests_total{endpoint=\"").Append(endpoint).Append("\",status=\"").Append(status).Append("\"} ").Append(n).Append('\n');
        Sample(s, "fleet_agent_prompt_tokens_total", "counter", "Prompt tokens processed.", m.PromptTokens);
        Sample(s, "fleet_agent_prompt_cached_tokens_total", "counter", "Prompt tokens reused from the prompt cache (not decoded again).",
            m.CachedPromptTokens);
        Sample(s, "fleet_agent_completion_tokens_total", "counter", "Tokens generated.", m.CompletionTokens);
        Sample(s, "fleet_agent_tokens_per_second", "gauge", "Generated tokens per second over the last 10 s.", m.Throughput.TokensPerSecond());
        Sample(s, "fleet_agent_slots", "gauge", "Parallel generation slots.", engine.Admission.Slots);
        Sample(s, "fleet_agent_slots_busy", "gauge", "Slots generating now.", engine.Admission.Busy);
        Sample(s, "fleet_agent_slots_paused", "gauge", "Busy slots paused until their client reads (backpressure).", engine.PausedSlots);
        Sample(s, "fleet_agent_queue_depth", "gauge", "Admitted requests waiting for a slot.", engine.Admission.QueueDepth);
        Sample(s, "fleet_agent_queue_limit", "gauge", "Requests that may wait before 429.", engine.Admission.QueueLimit);

        Header(s, "fleet_agent_time_to_first_token_seconds", "histogram", "From admission to the first generated token.");
        var (cumulative, sum, count) = m.Ttft();
        for (var i = 0; i < AgentMetrics.TtftBuckets.Length; i++)
            s.Append("fleet_agent_time_to_first_token_seconds_bucket{le=\"").Append(Num(AgentMetrics.TtftBuckets[i])).Append("\"} ").Append(cumulative[i]).Append('\n');
        s.Append("fleet_agent_time_to_first_token_seconds_bucket{le=\"+Inf\"} ").Append(cumulative[^1]).Append('\n');
        s.Append("fleet_agent_time_to_first_token_seconds_sum ").Append(Num(sum)).Append('\n');
        s.Append("fleet_agent_time_to_first_token_seconds_count ").Append(count).Append('\n');

        Sample(s, "fleet_agent_model_load_seconds", "gauge", "Time to load the model weights.", m.ModelLoadSeconds);
        Sample(s, "fleet_agent_ready", "gauge", "1 when the model is loaded and serving.", engine.State == EngineState.Ready ? 1 : 0);
        if (engine.Backend is { } b)
        {
            Header(s, "fleet_agent_backend_info", "gauge", "The llama.cpp build that really loaded.");
            s.Append("fleet_agent_backend_info{backend=\"").Append(b.Name).Append("\",avx=\"").Append(b.AvxLevel)
                .Append("\",build=\"").Append(b.BuildFlavour).Append("\"} 1\n");
        }

        if (gpus.Count > 0)
        {
            Header(s, "fleet_agent_gpu_memory_used_bytes", "gauge", "GPU memory in use (NVML).");
            for (var i = 0; i < gpus.Count; i++) Gpu(s, "fleet_agent_gpu_memory_used_bytes", i, gpus[i], gpus[i].MemoryUsedMiB << 20);
            Header(s, "fleet_agent_gpu_memory_total_bytes", "gauge", "GPU memory size (NVML).");
            for (var i = 0; i < gpus.Count; i++) Gpu(s, "fleet_agent_gpu_memory_total_bytes", i, gpus[i], gpus[i].MemoryTotalMiB << 20);
            Header(s, "fleet_agent_gpu_utilization_ratio", "gauge", "GPU busy fraction (NVML).");
            for (var i = 0; i < gpus.Count; i++) Gpu(s, "fleet_agent_gpu_utilization_ratio", i, gpus[i], gpus[i].UtilizationPercent / 100.0);
        }

        return s.ToString();
    }

    private static void Header(StringBuilder s, string name, string type, string help) =>
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder s, string name, string type, string help, double value)
    {
        Header(s, name, type, help);
        s.Append(name).Append(' ').Append(Num(value)).Append('\n');
    }

    private static void Gpu(StringBuilder s, string name, int index, GpuStatus gpu, double value) =>
        s.Append(name).Append("{gpu=\"").Append(index).Append("\",name=\"").Append(Escape(gpu.Name)).Append("\"} ").Append(Num(value)).Append('\n');

    private static string Escape(string v) => v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture); // shortest round-trip form
}
