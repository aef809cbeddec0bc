using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Models;

/// <summary>
/// Downloads a model once into the cache directory as <c>&lt;sha256&gt;.gguf</c>, verifying the hash. A partial
/// <c>.part</c> file is resumed with a Range request; a server that ignores Range restarts it from zero. A file
/// whose hash does not match is deleted and refused. The final name is only given after verification, so an
/// existing <c>&lt;sha256&gt;.gguf</c> is trusted without re-hashing.
/// </summary>
public sealed partial class ModelDownloader(HttpClient http, ILogger<ModelDownloader> logger, TimeProvider time)
{
    private const double Mib = 1 << 20;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    public async Task<string> EnsureAsync(Uri url, string sha256, string cacheDirectory, CancellationToken ct)
    {
        Directory.CreateDirectory(cacheDirectory);
        var final = Path.Combine(cacheDirectory, sha256 + ".gguf");
        if (File.Exists(final))
        {
            LogCached(logger, final);
            return final;
        }

        var part = final + ".part";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long have = 0;
        if (File.Exists(part))
        {
            await using var existing = File.OpenRead(part);
            await HashStreamAsync(existing, hash, ct);
            have = existing.Length;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file is already complete (or bigger than the source): verify what we have.
            have = -1;
        }
        else if (!response.IsSuccessStatusCode)
        {
            throw new ModelDownloadException(
                $"FLEET_MODEL_URL={Redact(url)}: server answered {(int)response.StatusCode} {response.ReasonPhrase}. Fix: check the URL is reachable from this node.");
        }

        if (have > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            LogRestart(logger, have);
            hash.GetHashAndReset();
            have = 0;
        }
        else if (have > 0)
        {
            LogResume(logger, have);
        }

        if (have >= 0)
        {
            var total = response.Content.Headers.ContentLength is { } len ? len + have : (long?)null;
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await using var file = new FileStream(part, have == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await CopyAsync(body, file, hash, have, total, ct);
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != sha256)
        {
            File.Delete(part);
            throw new ModelDownloadException(
                $"FLEET_MODEL_SHA256={sha256}: the file from {Redact(url)} has sha256 {actual}; it was deleted and refused. " +
                "Fix: set FLEET_MODEL_SHA256 to the publisher's hash, or FLEET_MODEL_URL to the file that hash belongs to.");
        }

        File.Move(part, final, overwrite: true);
        LogVerified(logger, final);
        return final;
    }

    private async Task CopyAsync(Stream body, Stream file, IncrementalHash hash, long have, long? total, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        var lastReport = time.GetTimestamp();
        long done = have;
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            await file.WriteAsync(buffer.AsMemory(0, n), ct);
            done += n;
            if (time.GetElapsedTime(lastReport) >= ProgressEvery)
            {
                lastReport = time.GetTimestamp();
                LogProgress(logger, done / Mib, (total ?? -Mib) / Mib, total is > 0 and var t ? 100.0 * done / t : -1);
            }
        }

        LogProgress(logger, done / Mib, (total ?? done) / Mib, 100);
    }

    private static async Task HashStreamAsync(Stream stream, IncrementalHash hash, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, n);
    }

    /// <summary>Drops any user-info and query (signed URLs carry tokens) before the URL reaches a log.</summary>
    internal static string Redact(Uri url)
    {
        var path = url.GetLeftPart(UriPartial.Path);
        return url.UserInfo.Length == 0 ? path : path.Replace(url.UserInfo + "@", "", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "model already cached at {Path}")]
    private static partial void LogCached(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "resuming model download at byte {Offset}")]
    private static partial void LogResume(ILogger logger, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "server ignored the Range request; restarting the download (had {Offset} bytes)")]
    private static partial void LogRestart(ILogger logger, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "model download: {DoneMiB:F1} MiB of {TotalMiB:F1} MiB ({Percent:F0}%)")]
    private static partial void LogProgress(ILogger logger, double doneMiB, double totalMiB, double percent);

    [LoggerMessage(Level = LogLevel.Information, Message = "model verified and cached at {Path}")]
    private static partial void LogVerified(ILogger logger, string path);
}
