using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Otto.DevSchemaRegistry;
using SrCompatibility = Confluent.SchemaRegistry.Compatibility;

namespace Otto.Schemas.Tests.Registry;

/// <summary>Confluent's real .NET client (2.16) and serdes against the dev registry: the calls Otto's tools and the
/// worker's serdes make.</summary>
public class RegistryClientTests(DevRegistryFixture registry) : IClassFixture<DevRegistryFixture>
{
    private const string V1 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";
    private const string V2 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}]}""";
    private const string V3 = """{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string","default":"x"}]}""";
    private const string Incompatible = """{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""";

    private static Confluent.SchemaRegistry.Schema AvroText(string json) => new(json, SchemaType.Avro);

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
        using var client = registry.Client();
        var subject = Subject();
        var id1 = await client.RegisterSchemaAsync(subject, AvroText(V1));
        Assert.Equal(id1, await client.RegisterSchemaAsync(subject, AvroText(V1)));
        var id2 = await client.RegisterSchemaAsync(subject, AvroText(V2), normalize: true);
        Assert.NotEqual(id1, id2);
        Assert.Equal(V1, (await client.GetSchemaAsync(id1)).SchemaString);
        Assert.Equal(V1, (await client.GetSchemaBySubjectAndIdAsync(subject, id1)).SchemaString);
        var found = await client.LookupSchemaAsync(subject, AvroText(V2), ignoreDeletedSchemas: true, normalize: false);
        Assert.Equal((subject, 2, id2), (found.Subject, found.Version, found.Id));
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync(subject));
        Assert.Equal(id2, (await client.GetLatestSchemaAsync(subject)).Id);
        Assert.Equal(id1, (await client.GetRegisteredSchemaAsync(subject, 1)).Id);
        Assert.Contains(subject, await client.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task Identity_is_the_parsing_canonical_form_so_the_same_schema_shares_its_id()
    {
        using var client = registry.Client();
        var spaced = """{ "type": "record", "name": "R", "doc": "docs do not count", "fields": [ {"name": "a", "type": "int"} ] }""";
        var id = await client.RegisterSchemaAsync(Subject(), AvroText(V1));
        Assert.Equal(id, await client.RegisterSchemaAsync(Subject(), AvroText(spaced)));
    }

    [Fact]
    public async Task Error_codes_are_Confluents()
    {
        using var client = registry.Client();
        var subject = Subject();
        await AssertError(40401, HttpStatusCode.NotFound, () => client.GetSubjectVersionsAsync(subject));
        await client.RegisterSchemaAsync(subject, AvroText(V1));
        await AssertError(40402, HttpStatusCode.NotFound, () => client.GetRegisteredSchemaAsync(subject, 7));
        await AssertError(40403, HttpStatusCode.NotFound, () => client.GetSchemaAsync(999_999));
        await AssertError(40403, HttpStatusCode.NotFound, () => client.LookupSchemaAsync(subject, AvroText(V2), true, false));
        await AssertError(42201, (HttpStatusCode)422, () => client.RegisterSchemaAsync(subject, AvroText("""{"type":"nope"}""")));
        var e = await AssertError(409, HttpStatusCode.Conflict, () => client.RegisterSchemaAsync(subject, AvroText(Incompatible)));
        Assert.Contains("R.a: writer's int cannot be read as string", e.Message);
    }

    [Fact]
    public async Task Compatibility_levels_and_checks()
    {
        using var client = registry.Client();
        var subject = Subject();
        await client.RegisterSchemaAsync(subject, AvroText(V1));
        Assert.Equal(SrCompatibility.Backward, await client.GetCompatibilityAsync());
        Assert.True(await client.IsCompatibleAsync(subject, AvroText(V2)));
        Assert.False(await client.IsCompatibleAsync(subject, AvroText(Incompatible)));
        await AssertError(40408, HttpStatusCode.NotFound, () => client.GetCompatibilityAsync(subject));
        Assert.Equal(SrCompatibility.None, await client.UpdateCompatibilityAsync(SrCompatibility.None, subject));
        Assert.Equal(SrCompatibility.None, await client.GetCompatibilityAsync(subject));
        Assert.True(await client.IsCompatibleAsync(subject, AvroText(Incompatible)));
        await client.RegisterSchemaAsync(subject, AvroText(Incompatible));

        // FORWARD_TRANSITIVE: every earlier version must read the new one.
        var other = Subject();
        await client.UpdateCompatibilityAsync(SrCompatibility.ForwardTransitive, other);
        await client.RegisterSchemaAsync(other, AvroText(V1));
        await client.RegisterSchemaAsync(other, AvroText(V2));
        using var http = new HttpClient { BaseAddress = registry.Server.Url };
        var verdict = await PostAsync(http, $"compatibility/subjects/{other}/versions?verbose=true", """{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}""");
        Assert.False(verdict["is_compatible"]!.GetValue<bool>());
        Assert.Contains("against v1: old schema cannot read new data: R.a: reader field 'a' has no default", verdict["messages"]![0]!.GetValue<string>());
        // Against one version only, the reasons need no label.
        var one = await PostAsync(http, $"compatibility/subjects/{other}/versions/1?verbose=true", """{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}""");
        Assert.Equal("old schema cannot read new data: R.a: reader field 'a' has no default and the writer's R lacks it", one["messages"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Soft_then_permanent_delete_of_versions_and_subjects()
    {
        // Confluent's .NET client has no delete calls; the REST API as the platform team's scripts use it.
        var store = registry.Server.Registry;
        using var http = new HttpClient { BaseAddress = registry.Server.Url };
        var subject = Subject();
        var id1 = store.Register(subject, V1);
        store.Register(subject, V2);
        store.Register(subject, V3);

        await AssertHttpError(40407, http.DeleteAsync($"subjects/{subject}/versions/2?permanent=true"));
        Assert.Equal(2, await (await http.DeleteAsync($"subjects/{subject}/versions/2")).Content.ReadFromJsonAsync<int>());
        Assert.Equal([1, 3], store.GetVersions(subject));
        await AssertHttpError(40402, http.GetAsync($"subjects/{subject}/versions/2"));
        Assert.Equal(2, await (await http.DeleteAsync($"subjects/{subject}/versions/2?permanent=true")).Content.ReadFromJsonAsync<int>());
        Assert.Equal(3, await (await http.DeleteAsync($"subjects/{subject}/versions/latest")).Content.ReadFromJsonAsync<int>());
        Assert.Equal(1, store.GetVersion(subject, -1).Version);

        // Registering again continues the numbering past the soft-deleted version 3.
        store.Register(subject, V2);
        Assert.Equal(4, store.Lookup(subject, V2).Version);

        await AssertHttpError(40405, http.DeleteAsync($"subjects/{subject}?permanent=true"));
        var softDeleted = await (await http.DeleteAsync($"subjects/{subject}")).Content.ReadFromJsonAsync<int[]>();
        Assert.Equal([1, 4], softDeleted!);
        await AssertHttpError(40401, http.GetAsync($"subjects/{subject}/versions"));
        Assert.DoesNotContain(subject, store.GetSubjects());
        // Old data still decodes: the id stays readable after the subject is deleted.
        Assert.Equal(V1, store.GetSchemaById(id1));
        var permanentlyDeleted = await (await http.DeleteAsync($"subjects/{subject}?permanent=true")).Content.ReadFromJsonAsync<int[]>();
        Assert.Equal([1, 3, 4], permanentlyDeleted!);
        await AssertHttpError(40401, http.DeleteAsync($"subjects/{subject}"));

        // After a permanent delete the subject starts again at version 1, with no compatibility history.
        store.Register(subject, Incompatible);
        Assert.Equal([1], store.GetVersions(subject));
    }

    [Fact]
    public async Task Unknown_paths_and_associations_answer_404_and_levels_are_checked()
    {
        using var http = new HttpClient { BaseAddress = registry.Server.Url };
        await AssertHttpError(40401, http.GetAsync("associations/resources/-/some-topic?resourceType=topic&associationType=value"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("no/such/path")).StatusCode);
        await AssertHttpError(42203, http.PutAsync("config", JsonContent.Create(new { compatibility = "SIDEWAYS" })));
        await AssertHttpError(42202, http.GetAsync("subjects/x/versions/zero"));
    }

    [Fact]
    public async Task Confluents_avro_serdes_round_trip_a_generic_record_with_auto_registration()
    {
        // The 2.16 serializer asks GET /associations/resources/-/{topic} first and uses TopicNameStrategy on a 404.
        using var client = registry.Client();
        var schema = (RecordSchema)Avro.Schema.Parse("""
            {"type":"record","name":"Payment","namespace":"t","fields":[
              {"name":"id","type":"string"},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":2}},
              {"name":"reference","type":["null","string"],"default":null}]}
            """);
        var record = new GenericRecord(schema);
        record.Add("id", "pay-1");
        record.Add("amount", new AvroDecimal(12.34m));
        record.Add("reference", "r");
        var topic = "serde-" + Guid.NewGuid().ToString("N");
        var context = new SerializationContext(MessageComponentType.Value, topic);

        var bytes = await new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig { AutoRegisterSchemas = true }).SerializeAsync(record, context);
        Assert.Equal(0, bytes[0]);
        var id = await client.LookupSchemaAsync($"{topic}-value", AvroText(schema.ToString()), true, false);
        Assert.Equal(id.Id, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));

        using var reader = registry.Client();
        var back = await new AvroDeserializer<GenericRecord>(reader).DeserializeAsync(bytes, false, context);
        Assert.Equal("pay-1", back["id"]);
        Assert.Equal(12.34m, (decimal)(AvroDecimal)back["amount"]);
        Assert.Equal("r", back["reference"]);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, string schema)
    {
        var response = await http.PostAsync(path, JsonContent.Create(new { schema }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task AssertHttpError(int code, Task<HttpResponseMessage> call)
    {
        var response = await call;
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(code, body["error_code"]!.GetValue<int>());
        Assert.Equal(RegistryErrorCodes.HttpStatusOf(code), (int)response.StatusCode);
    }

    private static async Task<SchemaRegistryException> AssertError<T>(int code, HttpStatusCode status, Func<Task<T>> call)
    {
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(call);
        Assert.True((code, status) == (e.ErrorCode, e.Status), $"{e.ErrorCode} {e.Status}: {e.Message}");
        return e;
    }
}
