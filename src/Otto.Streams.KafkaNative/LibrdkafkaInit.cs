using System.Runtime.CompilerServices;

namespace Otto.Streams.KafkaNative;

// Runs when the assembly it is compiled into is first used, before any of its code can build a Kafka client: binding
// Confluent.Kafka to the shipped librdkafka must happen before its first native call (see LibrdkafkaLoader). One
// source file, linked into each assembly that makes Kafka clients (their .csproj: Compile Include ... Link).
internal static class LibrdkafkaInit
{
    // CA2255 warns libraries off module initializers; here ordering before any caller's first client is the point.
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Init() => LibrdkafkaLoader.EnsureLoaded();
#pragma warning restore CA2255
}
