using System.Net;
using Fleet.Stacks.Console;
using Microsoft.AspNetCore.Http;

namespace Fleet.Stacks.Tests.Console;

public class ConsoleGuardTests
{
    private const string Token = ConsoleHost.Token;

    private static HttpRequest Request(string remote = "127.0.0.1", string? origin = "http://127.0.0.1:8090", string? site = "same-origin",
        string? contentType = "application/json", string? token = Token)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        var r = context.Request;
        r.Method = "POST";
        r.Scheme = "http";
        r.Host = new HostString("127.0.0.1:8090");
        if (origin is not null) r.Headers.Origin = origin;
        if (site is not null) r.Headers["Sec-Fetch-Site"] = site;
        if (contentType is not null) r.ContentType = contentType;
        if (token is not null) r.Headers[ConsoleToken.Header] = token;
        return r;
    }

    private static string? Code(HttpRequest request, string? configured = Token) =>
        new ConsoleGuard(new ConsoleToken(new ConsoleOptions(configured))).Refusal(request)?.Error.Code;

    [Fact]
    public void Accepts_the_pages_own_json_post_with_the_token() => Assert.Null(Code(Request()));

    [Fact]
    public void Accepts_a_client_that_sends_no_origin_such_as_curl() => Assert.Null(Code(Request(origin: null, site: null, contentType: "application/json; charset=utf-8")));

    [Fact]
    public void Rejects_a_public_address() => Assert.Equal("private_only", Code(Request(remote: "203.0.113.7")));

    [Fact]
    public void Rejects_a_cross_site_form_post_even_with_the_token() =>
        Assert.Equal("cross_origin", Code(Request(origin: "https://evil.example", site: "cross-site", contentType: "application/x-www-form-urlencoded")));

    [Fact]
    public void Rejects_another_origin_on_the_same_site() => Assert.Equal("cross_origin", Code(Request(origin: "http://127.0.0.1:9999", site: null)));

    [Fact]
    public void Rejects_a_form_post_from_the_same_origin() =>
        Assert.Equal("unsupported_media_type", Code(Request(contentType: "application/x-www-form-urlencoded")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("console-token-0123456789abcdefghijklmnoX")]
    [InlineData("console-token-0123456789abcdefghijklmnop ")]
    public void Rejects_a_missing_or_wrong_token(string? token) => Assert.Equal("invalid_token", Code(Request(token: token)));

    [Fact]
    public void Rejects_every_action_when_no_token_is_configured() => Assert.Equal("console_read_only", Code(Request(), configured: null));
}
