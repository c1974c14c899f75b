namespace Otto.Streams.Worker.Cli;

/// <summary>`otto run`'s exit codes, one per kind of failure, so a script or an orchestrator can tell them apart
/// without reading the one line printed with each.</summary>
public static class ExitCodes
{
    /// <summary>Stopped on request (SIGTERM, Ctrl-C) and closed cleanly.</summary>
    public const int Stopped = 0;

    /// <summary>The stream failed while running (a registry failure, a bug).</summary>
    public const int StreamFailed = 1;

    /// <summary>A setting cannot be used, or the state directory is another worker's.</summary>
    public const int Configuration = 2;

    /// <summary>Not the librdkafka shipped with Otto (checked by Program before any verb runs).</summary>
    public const int Librdkafka = 4;

    /// <summary>An HTTP port (Otto:Metrics:Port or Otto:Query:Port) is already in use.</summary>
    public const int PortInUse = 5;

    /// <summary>An HTTP address cannot be listened on here (not an address of this machine, or a port it may not open).</summary>
    public const int CannotListen = 6;

    /// <summary>The read side would listen on a non-loopback address without Otto:Query:ApiKey.</summary>
    public const int ReadSideUnprotected = 7;

    /// <summary>No Kafka broker answered within Otto:Kafka:StartupTimeout, or the cluster refused Otto's credentials.</summary>
    public const int KafkaUnreachable = 8;

    /// <summary>The schema registry is unreachable, refuses Otto's credentials or fails (5xx).</summary>
    public const int RegistryUnreachable = 9;

    /// <summary>Subjects Otto writes are missing from the registry while Otto:SchemaRegistry:AutoRegisterSchemas is off.</summary>
    public const int SubjectsMissing = 10;

    /// <summary>A topic Otto reads is missing, or topics read together have different partition counts.</summary>
    public const int TopicsMissing = 11;
}
