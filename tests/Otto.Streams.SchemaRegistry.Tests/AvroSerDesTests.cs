using Otto.Schemas.Registry;
using System.Net;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;
using Otto.DevSchemaRegistry;

namespace Otto.Streams.SchemaRegistry.Tests;

public class AvroSerDesTests
{
    private static SerializationContext Value(string topic) => new(MessageComponentType.Value, topic);

    [Fact]
    public void A_record_goes_through_Confluents_wire_format_and_back_unchanged()
    {
        var serde = new AvroSerDes<PaymentState>(InProcessRegistry.Client, autoRegisterSchemas: true);
        var bytes = serde.Serialize(Samples.State(), Value("round-trip"));

        Assert.Equal(0, bytes[0]); // magic byte, then the schema id the registry gave
        var back = serde.Deserialize(bytes, Value("round-trip"));
        Assert.Equal(10.00m, back.Amount);
        Assert.Equal("10.00", back.Amount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Samples.At, back.AddedAt);
        Assert.Equal("pay-1:StuckStatus:1:1", Assert.Single(back.Rules).Pending!.CorrelationId);
        Assert.Equal(5.00m, Assert.Single(back.Settlements).Amount);
        Assert.Equal(Samples.State().History.Count, back.History.Count);
    }

    // The serde reuses what Confluent's serdes established for a topic and a writer schema id (see AvroSerDes); what
    // it writes and reads then must be exactly what Confluent's own serializer and deserializer write and read.
    [Fact]
    public async Task Later_records_are_written_and_read_exactly_as_Confluents_serdes_do()
    {
        var serde = new AvroSerDes<PaymentState>(InProcessRegistry.Client, autoRegisterSchemas: true);
        var confluentWriter = new Confluent.SchemaRegistry.Serdes.AvroSerializer<PaymentState>(InProcessRegistry.Client,
            new Confluent.SchemaRegistry.Serdes.AvroSerializerConfig { AutoRegisterSchemas = true });
        var confluentReader = new Confluent.SchemaRegistry.Serdes.AvroDeserializer<PaymentState>(InProcessRegistry.Client);
        var state = Samples.State();

        var first = serde.Serialize(state, Value("same-bytes"));
        state.Amount = 11.00m;
        state.History.Add(new HistoryEntry { EventId = "e2", Type = "TrnAdded", Source = "WSO2", OccurredAt = Samples.At, Outcome = "applied" });
        var later = serde.Serialize(state, Value("same-bytes"));
        Assert.Equal(await confluentWriter.SerializeAsync(state, Value("same-bytes")), later);
        Assert.Equal(first.AsSpan(0, 5).ToArray(), later.AsSpan(0, 5).ToArray()); // same schema id

        serde.Deserialize(first, Value("same-bytes")); // through Confluent's deserializer: the id is new to the serde
        var ours = serde.Deserialize(later, Value("same-bytes"));
        var theirs = await confluentReader.DeserializeAsync(later, isNull: false, Value("same-bytes"));
        Assert.Equal(await confluentWriter.SerializeAsync(theirs, Value("same-bytes")), await confluentWriter.SerializeAsync(ours, Value("same-bytes")));
        Assert.Equal(11.00m, ours.Amount);
        Assert.Equal(2, ours.History.Count);
    }

    [Fact]
    public async Task The_schema_is_registered_under_the_topics_value_subject()
    {
        var serde = new AvroSerDes<PaymentAdded>(InProcessRegistry.Client, autoRegisterSchemas: true);
        serde.Serialize(Samples.Added(), Value("subject-test"));

        var latest = await InProcessRegistry.Client.GetLatestSchemaAsync("subject-test-value");
        Assert.Contains("\"PaymentAdded\"", latest.SchemaString);
    }

    [Fact]
    public async Task Data_written_with_an_older_schema_version_is_read_into_the_generated_type()
    {
        // PaymentAdded as a source system could still write it: no sourceSystem and no reference field.
        var older = Avro.Schema.Parse("""
            {"type":"record","name":"PaymentAdded","namespace":"Otto.Contracts.Cpr","fields":[
              {"name":"eventId","type":"string"},{"name":"paymentId","type":"string"},
              {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"rail","type":{"type":"enum","name":"PaymentRail","namespace":"Otto.Contracts","symbols":["DOMESTIC","SEPA","INSTANT","SWIFT"],"default":"DOMESTIC"}},
              {"name":"debtorAccount","type":"string"},{"name":"creditorAccount","type":"string"},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":2}},
              {"name":"currency","type":"string"},
              {"name":"status","type":{"type":"enum","name":"PaymentStatus","namespace":"Otto.Contracts","symbols":["ADDED","PENDING","PROCESSING","COMPLETED","FAILED","CANCELLED"]}}]}
            """);
        var record = new Avro.Generic.GenericRecord((Avro.RecordSchema)older);
        foreach (var (name, value) in new (string, object)[] { ("eventId", "e"), ("paymentId", "p"), ("occurredAt", Samples.At.UtcDateTime),
                     ("rail", new Avro.Generic.GenericEnum((Avro.EnumSchema)((Avro.RecordSchema)older)["rail"].Schema, "SEPA")), ("debtorAccount", "d"), ("creditorAccount", "c"),
                     ("amount", Otto.Contracts.AvroValues.Decimal(7.25m, 2)), ("currency", "EUR"),
                     ("status", new Avro.Generic.GenericEnum((Avro.EnumSchema)((Avro.RecordSchema)older)["status"].Schema, "ADDED")) })
            record.Add(name, value);
        var writer = new Confluent.SchemaRegistry.Serdes.AvroSerializer<Avro.Generic.GenericRecord>(InProcessRegistry.Client,
            new Confluent.SchemaRegistry.Serdes.AvroSerializerConfig { AutoRegisterSchemas = true });
        var bytes = await writer.SerializeAsync(record, Value("evolution"));

        var serde = new AvroSerDes<PaymentAdded>(InProcessRegistry.Client, autoRegisterSchemas: true);
        foreach (var read in new[] { serde.Deserialize(bytes, Value("evolution")), serde.Deserialize(bytes, Value("evolution")) })
        {
            Assert.Equal(7.25m, read.Amount);
            Assert.Equal("CPR", read.SourceSystem); // the reader's default for a field the writer lacked
            Assert.Null(read.Reference);
        }
    }

    [Fact]
    public void An_unknown_schema_id_is_the_records_fault_not_the_registrys()
    {
        var serde = new AvroSerDes<PaymentAdded>(InProcessRegistry.Client, autoRegisterSchemas: true);
        var error = Assert.ThrowsAny<Exception>(() => serde.Deserialize([0, 0, 0, 0x30, 0x39, 2, 3], Value("unknown-id")));
        Assert.IsNotType<RegistryFailureException>(error);
        Assert.Contains("12345", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_the_wire_format_are_the_records_fault()
    {
        var serde = new AvroSerDes<PaymentAdded>(InProcessRegistry.Client, autoRegisterSchemas: true);
        var error = Assert.ThrowsAny<Exception>(() => serde.Deserialize("not avro"u8.ToArray(), Value("bad")));
        Assert.IsNotType<RegistryFailureException>(error);
        Assert.Contains("magic byte", error.Message);
    }

    [Fact]
    public void A_subject_missing_while_auto_registration_is_off_stops_the_worker_with_how_to_register()
    {
        var serde = new AvroSerDes<PaymentFlagged>(InProcessRegistry.Client, autoRegisterSchemas: false);
        var flag = new PaymentFlagged { FlagId = "f", PaymentId = "p", Rule = "r", Episode = 1, Reason = FlagReason.AMOUNT_MISMATCH, Detail = "d", RaisedAt = Samples.At };

        var error = Assert.Throws<RegistryFailureException>(() => serde.Serialize(flag, Value("never-registered")));
        Assert.Contains("never-registered-value", error.Message);
        Assert.Contains("otto schemas register", error.Message);
    }

    [Fact]
    public void An_unreachable_registry_stops_the_worker_instead_of_dead_lettering_records()
    {
        // A port that was free a moment ago: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new SchemaRegistryOptions { Url = $"http://127.0.0.1:{port}", MaxRetries = 1, RequestTimeout = TimeSpan.FromSeconds(2) }.CreateClient();
        var serde = new AvroSerDes<PaymentAdded>(client, autoRegisterSchemas: true);
        var bytes = new AvroSerDes<PaymentAdded>(InProcessRegistry.Client, autoRegisterSchemas: true).Serialize(Samples.Added(), Value("down"));

        Assert.Contains("unreachable", Assert.Throws<RegistryFailureException>(() => serde.Deserialize(bytes, Value("down"))).Message);
        Assert.Contains("unreachable", Assert.Throws<RegistryFailureException>(() => serde.Serialize(Samples.Added(), Value("down"))).Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, 401, "credentials")]
    [InlineData(HttpStatusCode.Forbidden, 40301, "credentials")]
    [InlineData(HttpStatusCode.InternalServerError, 50001, "failed")]
    public void Refused_credentials_and_registry_errors_are_the_registrys_failure(HttpStatusCode status, int code, string says)
    {
        var failure = RegistryFailureException.Classify(new SchemaRegistryException("no", status, code), "t", serializing: false);
        Assert.NotNull(failure);
        Assert.Contains(says, failure.Message);
    }

    [Fact]
    public void A_record_the_registry_answered_about_is_not_a_registry_failure()
    {
        Assert.Null(RegistryFailureException.Classify(new SchemaRegistryException("schema 7 not found", HttpStatusCode.NotFound, 40403), "t", serializing: false));
        Assert.Null(RegistryFailureException.Classify(new InvalidDataException("bad"), "t", serializing: false));
    }
}
