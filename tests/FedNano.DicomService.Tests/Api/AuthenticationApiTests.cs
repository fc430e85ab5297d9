using System.Net;
using System.Net.Http.Headers;

namespace FedNano.DicomService.Tests.Api;

/// <summary>Authentication modes: 401 without a valid credential on DICOMweb routes; /health and /swagger stay open.</summary>
public sealed class AuthenticationApiTests
{
    private const string Key = "test-key-0123456789";
    private const string Token = "test-token-abcdefghij";

    private static ApiTestHost ApiKeyHost() => new(new Dictionary<string, string?>
    {
        ["Authentication:Mode"] = "ApiKey",
        ["Authentication:ApiKeys:0"] = "another-key",
        ["Authentication:ApiKeys:1"] = Key,
    });

    private static ApiTestHost BearerHost() => new(new Dictionary<string, string?>
    {
        ["Authentication:Mode"] = "Bearer",
        ["Authentication:BearerTokens:0"] = Token,
    });

    [Theory]
    [InlineData("GET", "/dicomweb/studies")]
    [InlineData("GET", "/dicomweb/changefeed")]
    [InlineData("POST", "/dicomweb/studies")]
    [InlineData("DELETE", "/dicomweb/studies/1.2.3")]
    [InlineData("GET", "/dicomweb/studies/1.2.3/metadata")]
    [InlineData("GET", "/api/anything")]
    public async Task Api_key_mode_answers_401_problem_without_a_key(string method, string path)
    {
        using var host = ApiKeyHost();
        using var client = host.Client();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.AssertProblemAsync(401);
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_mode_accepts_a_configured_key_in_the_header_or_authorization()
    {
        using var host = ApiKeyHost();
        using var client = host.Client();

        using var header = Multipart.Get("/dicomweb/studies");
        header.Headers.Add("X-Api-Key", Key);
        using var byHeader = await client.SendAsync(header);
        Assert.Equal(HttpStatusCode.NoContent, byHeader.StatusCode);

        using var authorization = Multipart.Get("/dicomweb/studies");
        authorization.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", Key);
        using var byAuthorization = await client.SendAsync(authorization);
        Assert.Equal(HttpStatusCode.NoContent, byAuthorization.StatusCode);

        var (study, _, _, files) = TestInstances.Series(1);
        using var stow = new HttpRequestMessage(HttpMethod.Post, "/dicomweb/studies") { Content = Multipart.DicomContent(files) };
        stow.Headers.Add("X-Api-Key", Key);
        using var stored = await client.SendAsync(stow);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("test-key-012345678")]  // a prefix
    [InlineData("test-key-01234567890")] // longer
    public async Task Api_key_mode_rejects_other_keys(string key)
    {
        using var host = ApiKeyHost();
        using var client = host.Client();
        using var request = Multipart.Get("/dicomweb/studies");
        request.Headers.Add("X-Api-Key", key);

        using var response = await client.SendAsync(request);

        await response.AssertProblemAsync(401);
    }

    [Fact]
    public async Task Bearer_mode_needs_the_token()
    {
        using var host = BearerHost();
        using var client = host.Client();

        using (var none = await client.GetAsync("/dicomweb/studies"))
        {
            await none.AssertProblemAsync(401);
            Assert.StartsWith("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using var wrong = Multipart.Get("/dicomweb/studies");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");
        using (var rejected = await client.SendAsync(wrong))
            await rejected.AssertProblemAsync(401);

        using var right = Multipart.Get("/dicomweb/studies");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var accepted = await client.SendAsync(right);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task Health_and_swagger_stay_open(string path)
    {
        using var host = ApiKeyHost();
        using var client = host.Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_default_mode_is_open()
    {
        using var host = new ApiTestHost();
        using var client = host.Client();
        using var response = await client.GetAsync("/dicomweb/studies");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public void An_enabled_mode_without_credentials_fails_at_startup()
    {
        using var host = new ApiTestHost(new Dictionary<string, string?> { ["Authentication:Mode"] = "Bearer" });
        var error = Assert.ThrowsAny<Exception>(() => host.Client());
        Assert.Contains("BearerTokens", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_compares_every_candidate()
    {
        Assert.True(FedNano.DicomService.Security.TokenAuthenticationHandler.Matches("b", ["a", "b"]));
        Assert.False(FedNano.DicomService.Security.TokenAuthenticationHandler.Matches("c", ["a", "b"]));
        Assert.False(FedNano.DicomService.Security.TokenAuthenticationHandler.Matches("a", []));
    }
}
