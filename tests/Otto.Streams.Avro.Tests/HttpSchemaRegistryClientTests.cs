using System.Net;
using System.Text;
using Otto.Contracts.Cpr;
using Otto.Streams.Avro.Registry;

namespace Otto.Streams.Avro.Tests;

/// <summary>The HTTP client against the dev registry server on 127.0.0.1.</summary>
public class HttpSchemaRegistryClientTests(DevRegistryFixture registry) : IClassFixture<DevRegistryFixture>
{
    private const string V1 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";
    private const string V2 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}]}""";
    private const string Incompatible = """{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""";

    private HttpSchemaRegistryClient Client(HttpMessageHandler? handler = null) =>
        new(new HttpSchemaRegistryClientOptions { Url = registry.Server.Url.ToString(), HttpMessageHandler = handler });

    private static string Subject() => "s-" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Server_binds_loopback_and_reports_its_port()
    {
        Assert.Equal("127.0.0.1", registry.Server.Url.Host);
        Assert.NotEqual(0, registry.Server.Url.Port);
    }

    [Fact]
    public async Task Register_lookup_get_by_id_and_versions()
    {
        using var client = Client();
        var subject = Subject();
        var id1 = await client.RegisterAsync(subject, V1);
        Assert.Equal(id1, await client.RegisterAsync(subject, V1));
        var id2 = await client.RegisterAsync(subject, V2);
        Assert.NotEqual(id1, id2);
        Assert.Equal(V1, await client.GetSchemaByIdAsync(id1));
        var found = await client.LookupAsync(subject, V2);
        Assert.Equal((subject, 2, id2), (found.Subject, found.Version, found.Id));
        Assert.Equal([1, 2], await client.GetVersionsAsync(subject));
        Assert.Equal(id2, (await client.GetLatestVersionAsync(subject)).Id);
        Assert.Equal(id1, (await client.GetVersionAsync(subject, 1)).Id);
        Assert.Contains(subject, await client.GetSubjectsAsync());
    }

    [Fact]
    public async Task Same_schema_in_two_subjects_shares_its_id()
    {
        using var client = Client();
        Assert.Equal(await client.RegisterAsync(Subject(), PaymentAdded.SchemaJson), await client.RegisterAsync(Subject(), PaymentAdded.SchemaJson));
    }

    [Fact]
    public async Task Error_codes_are_mapped()
    {
        using var client = Client();
        var subject = Subject();
        await AssertError(SchemaRegistryErrorCodes.SubjectNotFound, 404, () => client.GetVersionsAsync(subject));
        await client.RegisterAsync(subject, V1);
        await AssertError(SchemaRegistryErrorCodes.VersionNotFound, 404, () => client.GetVersionAsync(subject, 7));
        await AssertError(SchemaRegistryErrorCodes.SchemaNotFound, 404, () => client.GetSchemaByIdAsync(999_999));
        await AssertError(SchemaRegistryErrorCodes.SchemaNotFound, 404, () => client.LookupAsync(subject, V2));
        await AssertError(SchemaRegistryErrorCodes.InvalidSchema, 422, () => client.RegisterAsync(subject, """{"type":"nope"}"""));
        var e = await AssertError(SchemaRegistryErrorCodes.IncompatibleSchema, 409, () => client.RegisterAsync(subject, Incompatible));
        Assert.Contains("incompatible", e.Message);
    }

    [Fact]
    public async Task Compatibility_levels_and_checks()
    {
        using var client = Client();
        var subject = Subject();
        await client.RegisterAsync(subject, V1);
        Assert.Equal(CompatibilityLevel.Backward, await client.GetCompatibilityAsync(subject));
        Assert.True(await client.TestCompatibilityAsync(subject, V2));
        Assert.False(await client.TestCompatibilityAsync(subject, Incompatible));
        await client.SetCompatibilityAsync(CompatibilityLevel.None, subject);
        Assert.Equal(CompatibilityLevel.None, await client.GetCompatibilityAsync(subject));
        Assert.Equal(CompatibilityLevel.Backward, await client.GetCompatibilityAsync());
        Assert.True(await client.TestCompatibilityAsync(subject, Incompatible));
        await client.RegisterAsync(subject, Incompatible);
    }

    [Fact]
    public async Task Basic_auth_and_content_type_are_sent()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var client = new HttpSchemaRegistryClient(new HttpSchemaRegistryClientOptions
        {
            Url = registry.Server.Url.ToString(),
            BasicAuthUserInfo = "user:secret",
            HttpMessageHandler = recorder,
        });
        await client.RegisterAsync(Subject(), V1);
        var request = Assert.Single(recorder.Requests);
        Assert.Equal("Basic", request.Headers.Authorization!.Scheme);
        Assert.Equal("user:secret", Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.Parameter!)));
        Assert.Equal("application/vnd.schemaregistry.v1+json", request.Content!.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Bearer_token_is_sent_and_never_in_messages()
    {
        var options = new HttpSchemaRegistryClientOptions { Url = "http://127.0.0.1:1", BearerToken = "tok3n" };
        Assert.DoesNotContain("tok3n", options.ToString());
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"error_code":40403,"message":"Schema not found"}"""),
        });
        using var client = new HttpSchemaRegistryClient(new HttpSchemaRegistryClientOptions { Url = options.Url, BearerToken = "tok3n", HttpMessageHandler = handler });
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaByIdAsync(1));
        Assert.DoesNotContain("tok3n", e.ToString());
    }

    [Fact]
    public async Task Client_caches_ids_and_schemas()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var client = Client(recorder);
        var subject = Subject();
        var id = await client.RegisterAsync(subject, V1);
        await client.RegisterAsync(subject, V1);
        await client.GetSchemaByIdAsync(id);
        await client.GetSchemaByIdAsync(id);
        Assert.Equal(2, recorder.Requests.Count);
    }

    [Fact]
    public async Task Retries_5xx_and_network_errors_with_exponential_backoff()
    {
        var clock = new InstantTimeProvider();
        var handler = new ScriptedHandler(
            _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("""{"error_code":50001,"message":"store"}""") },
            _ => throw new HttpRequestException("connection refused"),
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"schema":"\"int\""}""") });
        using var client = new HttpSchemaRegistryClient(new HttpSchemaRegistryClientOptions
        {
            Url = "http://a.invalid,http://b.invalid",
            HttpMessageHandler = handler,
            TimeProvider = clock,
            RetryBackoff = TimeSpan.FromMilliseconds(100),
        });
        Assert.Equal("\"int\"", await client.GetSchemaByIdAsync(3));
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], clock.Delays);
        Assert.Equal(["a.invalid", "b.invalid", "a.invalid"], handler.Urls.Select(u => u.Host));
    }

    [Fact]
    public async Task Gives_up_after_the_retries_with_the_last_error()
    {
        var clock = new InstantTimeProvider();
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError)
        {
            Content = new StringContent("""{"error_code":50001,"message":"Error in the backend data store"}"""),
        });
        using var client = new HttpSchemaRegistryClient(new HttpSchemaRegistryClientOptions
        {
            Url = "http://x.invalid", HttpMessageHandler = handler, TimeProvider = clock, MaxRetries = 2,
            RetryBackoff = TimeSpan.FromSeconds(4), MaxRetryBackoff = TimeSpan.FromSeconds(5),
        });
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSubjectsAsync());
        Assert.Equal((SchemaRegistryErrorCodes.BackendStoreError, 500), (e.ErrorCode, e.HttpStatus));
        Assert.Equal(3, handler.Urls.Count);
        Assert.Equal([TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)], clock.Delays);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"error_code":40401,"message":"Subject not found"}"""),
        });
        using var client = new HttpSchemaRegistryClient(new HttpSchemaRegistryClientOptions { Url = "http://x.invalid", HttpMessageHandler = handler });
        await AssertError(SchemaRegistryErrorCodes.SubjectNotFound, 404, () => client.GetVersionsAsync("s"));
        Assert.Single(handler.Urls);
    }

    [Fact]
    public void Factory_returns_http_client_for_http_urls() =>
        Assert.IsType<HttpSchemaRegistryClient>(SchemaRegistryClientFactory.Create("http://127.0.0.1:8081", "u:p"));

    [Fact]
    public void Serde_over_http_round_trips()
    {
        using var client = Client();
        var serde = new Serdes.AvroSerDes<PaymentAdded>(client);
        var context = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "t-" + Guid.NewGuid());
        Assert.Equal("pay-1", serde.Deserialize(serde.Serialize(Samples.PaymentAdded(), context), context).PaymentId);
    }

    private static async Task<SchemaRegistryException> AssertError<T>(int code, int status, Func<Task<T>> call)
    {
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(call);
        Assert.Equal((code, status), (e.ErrorCode, e.HttpStatus));
        return e;
    }
}
