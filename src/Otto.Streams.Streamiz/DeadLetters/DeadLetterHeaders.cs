using System.Text;
using Confluent.Kafka;

namespace Otto.Streams.Streamiz.DeadLetters;

/// <summary>
/// Headers a dead-letter record carries besides the original key, value and headers: enough to find the
/// record at its source and to know why it was rejected (in the spirit of Kafka Connect's __connect.errors.*).
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Source topic.</summary>
    public const string Topic = "otto.errors.topic";
    /// <summary>Source partition (decimal text).</summary>
    public const string Partition = "otto.errors.partition";
    /// <summary>Source offset (decimal text).</summary>
    public const string Offset = "otto.errors.offset";
    /// <summary>Where it failed: "deserialization", "processing" or "production".</summary>
    public const string Stage = "otto.errors.stage";
    /// <summary>The task that rejected it.</summary>
    public const string Task = "otto.errors.task";
    /// <summary>The exception's type.</summary>
    public const string ExceptionClass = "otto.errors.exception.class";
    /// <summary>The error message (with inner exceptions' messages).</summary>
    public const string ExceptionMessage = "otto.errors.exception.message";

    /// <summary>The stage of a record whose key or value could not be deserialized.</summary>
    public const string DeserializationStage = "deserialization";
    /// <summary>The stage of a record a processor threw on.</summary>
    public const string ProcessingStage = "processing";
    /// <summary>The stage of a record the cluster refused.</summary>
    public const string ProductionStage = "production";

    /// <summary>The original headers plus the error headers.</summary>
    public static Headers For(ConsumeResult<byte[], byte[]> source, string stage, string task, Exception error)
    {
        var headers = new Headers();
        foreach (var h in source.Message.Headers ?? []) headers.Add(h.Key, h.GetValueBytes());
        void Add(string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
        Add(Topic, source.Topic);
        Add(Partition, source.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(Offset, source.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(Stage, stage);
        Add(Task, task);
        Add(ExceptionClass, error.GetType().FullName ?? error.GetType().Name);
        Add(ExceptionMessage, Messages(error));
        return headers;
    }

    /// <summary>Headers of a produced record the cluster refused: topic and partition are where it was going
    /// (offset -1), the exception is the delivery error.</summary>
    public static Headers ForProduction(DeliveryReport<byte[], byte[]> report, string reason)
    {
        var headers = new Headers();
        foreach (var h in report.Message.Headers ?? []) headers.Add(h.Key, h.GetValueBytes());
        void Add(string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
        Add(Topic, report.Topic);
        Add(Partition, report.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(Offset, "-1");
        Add(Stage, ProductionStage);
        Add(ExceptionClass, typeof(ProduceException<byte[], byte[]>).FullName!);
        Add(ExceptionMessage, reason);
        return headers;
    }

    /// <summary>The messages of the exception and its inner ones, joined with " ---> ".</summary>
    internal static string Messages(Exception error)
    {
        var parts = new List<string>();
        for (var e = error; e is not null; e = e.InnerException) parts.Add(e.Message);
        return string.Join(" ---> ", parts);
    }
}
