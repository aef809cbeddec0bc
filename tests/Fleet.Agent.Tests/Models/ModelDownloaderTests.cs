using System.Collections.Concurrent;
using System.Security.Cryptography;
using Fleet.Agent.Models;
using Fleet.Agent.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Agent.Tests.Models;

/// <summary>Downloads from a loopback HTTP server: verify, cache, resume, restart, refuse.</summary>
public sealed class ModelDownloaderTests : IAsyncLifetime
{
    private readonly byte[] _file = RandomNumberGenerator.GetBytes(300_000);
    private readonly ConcurrentQueue<string?> _ranges = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _server = null!;

    private string Sha => Convert.ToHexStringLower(SHA256.HashData(_file));

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/model.gguf", (HttpContext http) =>
        {
            _ranges.Enqueue(http.Request.Headers.Range.FirstOrDefault());
            return Results.Bytes(_file, "application/octet-stream", enableRangeProcessing: true);
        });
        _server.MapGet("/slow.gguf", async (HttpContext http) =>
        {
            await _release.Task;
            await http.Response.Body.WriteAsync(await File.ReadAllBytesAsync(TestModels.Scripted));
        });
        _server.MapGet("/no-range.gguf", (HttpContext http) =>
        {
            _ranges.Enqueue(http.Request.Headers.Range.FirstOrDefault());
            return Results.Bytes(_file, "application/octet-stream");
        });
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Downloads_verifies_and_then_uses_the_cache()
    {
        var cache = TestModels.NewPath("cache");
        var path = await Downloader().EnsureAsync(Url("model.gguf"), Sha, cache, default);
        Assert.Equal(Path.Combine(cache, Sha + ".gguf"), path);
        Assert.Equal(_file, await File.ReadAllBytesAsync(path));

        Assert.Equal(path, await Downloader().EnsureAsync(Url("model.gguf"), Sha, cache, default));
        Assert.Single(_ranges);
    }

    [Fact]
    public async Task Refuses_a_file_with_the_wrong_sha256_and_keeps_nothing()
    {
        var cache = TestModels.NewPath("cache");
        var wrong = new string('0', 64);
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => Downloader().EnsureAsync(Url("model.gguf"), wrong, cache, default));
        Assert.Contains("FLEET_MODEL_SHA256=" + wrong, e.Message);
        Assert.Contains("has sha256 " + Sha, e.Message);
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public async Task Resumes_a_partial_file_with_a_range_request()
    {
        var cache = TestModels.NewPath("cache");
        Directory.CreateDirectory(cache);
        await File.WriteAllBytesAsync(Path.Combine(cache, Sha + ".gguf.part"), _file[..100_000]);
        var path = await Downloader().EnsureAsync(Url("model.gguf"), Sha, cache, default);
        Assert.Equal("bytes=100000-", Assert.Single(_ranges));
        Assert.Equal(_file, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Restarts_when_the_server_ignores_the_range()
    {
        var cache = TestModels.NewPath("cache");
        Directory.CreateDirectory(cache);
        await File.WriteAllBytesAsync(Path.Combine(cache, Sha + ".gguf.part"), _file[..100_000]);
        var path = await Downloader().EnsureAsync(Url("no-range.gguf"), Sha, cache, default);
        Assert.Equal(_file, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Agent_with_a_wrong_sha256_refuses_to_start()
    {
        var env = new Dictionary<string, string>
        {
            ["FLEET_MODEL_URL"] = Url("model.gguf").ToString(),
            ["FLEET_MODEL_SHA256"] = new string('a', 64),
            ["FLEET_CACHE_DIR"] = TestModels.NewPath("cache"),
        };
        await using var agent = await AgentHost.StartAsync(env);
        Assert.Equal(Fleet.Agent.Inference.EngineState.Failed, agent.Engine.State);
        Assert.Contains("model download: 0.3 MiB of 0.3 MiB (100%)", agent.Logs.All);
        Assert.Contains("it was deleted and refused", agent.Logs.All);
    }

    [Fact]
    public async Task While_the_model_downloads_the_agent_is_alive_but_not_ready()
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(TestModels.Scripted)));
        var env = new Dictionary<string, string>
        {
            ["FLEET_MODEL_URL"] = Url("slow.gguf").ToString(),
            ["FLEET_MODEL_SHA256"] = sha,
            ["FLEET_CACHE_DIR"] = TestModels.NewPath("cache"),
        };
        await using var agent = await AgentHost.StartAsync(env, waitReady: false);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await agent.Http.GetAsync("health")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, (await agent.Http.GetAsync("ready")).StatusCode);
        using var early = await agent.Http.PostAsync("v1/completions", new StringContent("""{"prompt":"hello"}"""));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Contains("model_not_ready", await early.Content.ReadAsStringAsync());

        _release.SetResult();
        await agent.WaitForStateAsync(s => s != Fleet.Agent.Inference.EngineState.Loading);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await agent.Http.GetAsync("ready")).StatusCode);
        using var answer = await agent.Http.PostAsync("v1/completions", new StringContent("""{"prompt":"hello","temperature":0}"""));
        Assert.Contains("\"text\":\" world\"", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_given_sha256_is_checked_for_a_local_file_too()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_SHA256", new string('b', 64))));
        Assert.Equal(Fleet.Agent.Inference.EngineState.Failed, agent.Engine.State);
        Assert.Contains("Fix: set FLEET_MODEL_SHA256 to the file's hash", agent.Logs.All);
    }

    [Theory]
    [InlineData("https://user:secret@models.example/m@v2.gguf?X-Amz-Signature=abc", "https://models.example/m@v2.gguf")]
    [InlineData("http://models.example:8080/a/b.gguf", "http://models.example:8080/a/b.gguf")]
    public void Urls_in_messages_carry_no_credentials_or_signatures(string url, string logged) =>
        Assert.Equal(logged, ModelDownloader.Redact(new Uri(url)));

    private Uri Url(string file) => new(_server.Urls.First() + "/" + file);

    private static ModelDownloader Downloader() => new(new HttpClient(), NullLogger<ModelDownloader>.Instance, TimeProvider.System);
}
