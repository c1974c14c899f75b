using Confluent.Kafka;
using Otto.Contracts.Cpr;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Schema;
using Otto.Streams.Avro.Serdes;

namespace Otto.Streams.Avro.Tests;

public class SerDesTests
{
    private const string Topic = "pc.qa.pmt.fct.cpr.PaymentAdded";
    private static readonly SerializationContext Value = new(MessageComponentType.Value, Topic);
    private readonly InMemorySchemaRegistry _registry = new();

    [Fact]
    public void Wire_format_round_trip_registers_under_topic_value()
    {
        var serde = new AvroSerDes<PaymentAdded>(_registry);
        var bytes = serde.Serialize(Samples.PaymentAdded(), Value);
        Assert.Equal(0, bytes[0]);
        var id = WireFormat.ReadSchemaId(bytes);
        Assert.Equal(id, _registry.GetVersion(Topic + "-value", -1).Id);
        Assert.Equal(Specific.AvroRecord.ToBytes(Samples.PaymentAdded()), bytes[5..]);
        var back = serde.Deserialize(bytes, Value);
        Assert.Equal(-1234.56m, back.Amount);
        Assert.Equal("FR002 – ünïcode", back.CreditorAccount);
    }

    [Fact]
    public void The_registry_is_called_once_per_subject()
    {
        var counting = new CountingRegistry(_registry);
        var serde = new AvroSerDes<PaymentAdded>(counting);
        for (var i = 0; i < 3; i++) serde.Deserialize(serde.Serialize(Samples.PaymentAdded(), Value), Value);
        Assert.Equal(1, counting.Registers);
        Assert.Equal(1, counting.SchemaFetches);
    }

    [Theory]
    [InlineData(SubjectNameStrategy.TopicName, true, Topic + "-key")]
    [InlineData(SubjectNameStrategy.RecordName, false, "Otto.Contracts.Cpr.PaymentAdded")]
    [InlineData(SubjectNameStrategy.TopicRecordName, false, Topic + "-Otto.Contracts.Cpr.PaymentAdded")]
    public void Subject_name_strategies(SubjectNameStrategy strategy, bool isKey, string subject)
    {
        new AvroSerDes<PaymentAdded>(_registry, new AvroSerDesOptions { SubjectNameStrategy = strategy, IsKey = isKey })
            .Serialize(Samples.PaymentAdded(), Value);
        Assert.Equal([subject], _registry.GetSubjects());
    }

    [Fact]
    public void Without_auto_register_an_unregistered_schema_fails_and_a_registered_one_is_looked_up()
    {
        var serde = new AvroSerDes<PaymentAdded>(_registry, new AvroSerDesOptions { AutoRegisterSchemas = false });
        var e = Assert.Throws<SchemaRegistryException>(() => serde.Serialize(Samples.PaymentAdded(), Value));
        Assert.Equal(SchemaRegistryErrorCodes.SubjectNotFound, e.ErrorCode);
        var id = _registry.Register(Topic + "-value", PaymentAdded.SchemaJson);
        Assert.Equal(id, WireFormat.ReadSchemaId(serde.Serialize(Samples.PaymentAdded(), Value)));
    }

    [Fact]
    public void Bad_magic_byte()
    {
        var e = Assert.Throws<AvroException>(() => new AvroSerDes<PaymentAdded>(_registry).Deserialize([1, 0, 0, 0, 1, 2], Value));
        Assert.Equal("not Confluent wire format: magic byte 0x01, expected 0x00", e.Message);
        Assert.Contains("shorter than", Assert.Throws<AvroException>(() => new AvroSerDes<PaymentAdded>(_registry).Deserialize([0, 0], Value)).Message);
    }

    [Fact]
    public void Unknown_schema_id()
    {
        var e = Assert.Throws<AvroException>(() => new AvroSerDes<PaymentAdded>(_registry).Deserialize([0, 0, 0, 0x30, 0x39, 2], Value));
        Assert.StartsWith("unknown schema id 12345", e.Message);
    }

    [Fact]
    public void Corrupt_body_is_an_avro_exception()
    {
        var serde = new AvroSerDes<PaymentAdded>(_registry);
        var bytes = serde.Serialize(Samples.PaymentAdded(), Value);
        Assert.Throws<AvroException>(() => serde.Deserialize(bytes[..^3], Value));
    }

    [Fact]
    public void Data_from_an_older_writer_schema_is_resolved_to_the_generated_type()
    {
        // An older PaymentAdded: no "reference" field, a "legacy" field since removed, and a rail symbol the
        // current enum lacks (its default applies).
        var old = (RecordSchema)AvroSchema.Parse("""
            {"type":"record","name":"PaymentAdded","namespace":"Otto.Contracts.Cpr","fields":[
              {"name":"eventId","type":"string"},{"name":"paymentId","type":"string"},
              {"name":"occurredAt","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"rail","type":{"type":"enum","name":"PaymentRail","namespace":"Otto.Contracts","symbols":["DOMESTIC","SEPA","INSTANT","SWIFT","CHEQUE"],"default":"DOMESTIC"}},
              {"name":"debtorAccount","type":"string"},{"name":"creditorAccount","type":"string"},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":2}},
              {"name":"currency","type":"string"},
              {"name":"status","type":{"type":"enum","name":"PaymentStatus","namespace":"Otto.Contracts","symbols":["ADDED","PENDING","PROCESSING","COMPLETED","FAILED","CANCELLED"]}},
              {"name":"legacy","type":"int"}]}
            """);
        var record = new GenericRecord(old)
        {
            ["eventId"] = "e", ["paymentId"] = "p", ["occurredAt"] = Samples.T0, ["rail"] = "CHEQUE",
            ["debtorAccount"] = "d", ["creditorAccount"] = "c", ["amount"] = 5.5m, ["currency"] = "EUR",
            ["status"] = "FAILED", ["legacy"] = 7,
        };
        _registry.SetCompatibility(CompatibilityLevel.None);
        var bytes = new GenericAvroSerDes(_registry).Serialize(record, Value);
        var value = new AvroSerDes<PaymentAdded>(_registry).Deserialize(bytes, Value);
        Assert.Equal(Otto.Contracts.PaymentRail.DOMESTIC, value.Rail);
        Assert.Equal(5.5m, value.Amount);
        Assert.Null(value.Reference);
        Assert.Equal(Otto.Contracts.PaymentStatus.FAILED, value.Status);
    }

    [Fact]
    public void Generic_serde_reads_generated_data_and_the_other_way_round()
    {
        var bytes = new AvroSerDes<PaymentAdded>(_registry).Serialize(Samples.PaymentAdded(), Value);
        var generic = new GenericAvroSerDes(_registry).Deserialize(bytes, Value);
        Assert.Equal("evt-1", generic["eventId"]);
        Assert.Equal(-1234.56m, generic["amount"]);
        var again = new GenericAvroSerDes(_registry).Serialize(generic, Value);
        Assert.Equal(bytes, again);
    }

    [Fact]
    public void Mock_urls_share_one_registry_per_scope()
    {
        var scope = "serdes-" + Guid.NewGuid();
        try
        {
            var writer = new AvroSerDes<PaymentAdded>(SchemaRegistryClientFactory.Create("mock://" + scope));
            var reader = new AvroSerDes<PaymentAdded>(SchemaRegistryClientFactory.Create("mock://" + scope));
            Assert.Equal("pay-1", reader.Deserialize(writer.Serialize(Samples.PaymentAdded(), Value), Value).PaymentId);
            Assert.Throws<AvroException>(() => new AvroSerDes<PaymentAdded>(SchemaRegistryClientFactory.Create("mock://other-" + scope))
                .Deserialize(writer.Serialize(Samples.PaymentAdded(), Value), Value));
        }
        finally
        {
            InMemorySchemaRegistry.DropScope(scope);
        }
    }

    [Fact]
    public void Serde_works_under_a_single_threaded_synchronization_context()
    {
        // A UI-style context that never runs posted work: blocking on the registry must not deadlock.
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(new NeverRunsContext());
        try
        {
            var serde = new AvroSerDes<PaymentAdded>(new YieldingRegistry(_registry));
            Assert.Equal("pay-1", serde.Deserialize(serde.Serialize(Samples.PaymentAdded(), Value), Value).PaymentId);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private sealed class NeverRunsContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) { }
    }
}
