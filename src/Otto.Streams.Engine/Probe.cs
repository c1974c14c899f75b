namespace Otto.Streams;
/// <summary>x</summary>
public static class Probe { /// <summary>x</summary>
public static string V() => Confluent.Kafka.Library.VersionString; }
