namespace Otto.Streams.EmbeddedKafka;

/// <summary>Kafka protocol request types (ApiKey) the mock cluster serves, for request error injection.</summary>
public enum KafkaApiKey : short
{
    /// <summary>Produce (0).</summary>
    Produce = 0,
    /// <summary>Fetch (1).</summary>
    Fetch = 1,
    /// <summary>ListOffsets (2).</summary>
    ListOffsets = 2,
    /// <summary>Metadata (3).</summary>
    Metadata = 3,
    /// <summary>OffsetCommit (8).</summary>
    OffsetCommit = 8,
    /// <summary>OffsetFetch (9).</summary>
    OffsetFetch = 9,
    /// <summary>FindCoordinator (10).</summary>
    FindCoordinator = 10,
    /// <summary>JoinGroup (11).</summary>
    JoinGroup = 11,
    /// <summary>Heartbeat (12).</summary>
    Heartbeat = 12,
    /// <summary>LeaveGroup (13).</summary>
    LeaveGroup = 13,
    /// <summary>SyncGroup (14).</summary>
    SyncGroup = 14,
    /// <summary>ApiVersions (18).</summary>
    ApiVersions = 18,
    /// <summary>InitProducerId (22).</summary>
    InitProducerId = 22,
    /// <summary>AddPartitionsToTxn (24).</summary>
    AddPartitionsToTxn = 24,
    /// <summary>AddOffsetsToTxn (25).</summary>
    AddOffsetsToTxn = 25,
    /// <summary>EndTxn (26).</summary>
    EndTxn = 26,
    /// <summary>TxnOffsetCommit (28).</summary>
    TxnOffsetCommit = 28,
}
