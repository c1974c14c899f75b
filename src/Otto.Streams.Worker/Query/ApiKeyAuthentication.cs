using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Otto.Streams.Worker.Query;

/// <summary>The read side's key (Otto:Query:ApiKey).</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The key a request must carry.</summary>
    public string ApiKey { get; set; } = "";
}

/// <summary>
/// The read side's authentication scheme: a request is authenticated by <c>Authorization: Bearer {Otto:Query:ApiKey}</c>,
/// compared in constant time; anything else is challenged with a bare 401 (<c>WWW-Authenticate: Bearer</c>, no body, no
/// reason: a caller learns nothing about the key). Neither the key nor what a request sent is ever logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "OttoApiKey";

    private const string Bearer = "Bearer ";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!SameKey(header[Bearer.Length..].Trim(), Options.ApiKey)) return Task.FromResult(AuthenticateResult.Fail("the key does not match"));
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "read-side client")], SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Task.CompletedTask;
    }

    // Hashed first so the comparison takes as long whatever the lengths, then compared in constant time: the time of
    // an answer tells nothing about how much of the key a guess got right.
    private static bool SameKey(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
