using Confluent.Kafka;
using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>
/// A stream thread's producer and, under exactly_once_v2, its transaction: begun by the first send after a
/// commit, committed together with the consumed offsets, aborted when the thread cannot commit. A fenced
/// producer (another instance took over the transactional id) surfaces as <see cref="TaskMigratedException"/>
/// and is replaced by a fresh one, as Kafka Streams' StreamsProducer does.
/// </summary>
internal sealed class StreamsProducer
{
    private readonly Func<IProducer<byte[], byte[]>> _create;
    private readonly TimeSpan _timeout;

    public StreamsProducer(Func<IProducer<byte[], byte[]>> create, bool transactional, TimeSpan timeout)
    {
        _create = create;
        _timeout = timeout;
        Transactional = transactional;
        Producer = Start();
    }

    public IProducer<byte[], byte[]> Producer { get; private set; }
    public bool Transactional { get; }
    public bool InTransaction { get; private set; }

    private IProducer<byte[], byte[]> Start()
    {
        var producer = _create();
        if (Transactional) Guard(() => producer.InitTransactions(_timeout), "initializing transactions");
        return producer;
    }

    /// <summary>Begins a transaction unless one is open (called before every send).</summary>
    public void MaybeBeginTransaction()
    {
        if (!Transactional || InTransaction) return;
        Guard(Producer.BeginTransaction, "beginning a transaction");
        InTransaction = true;
    }

    /// <summary>Adds the consumed offsets to the open transaction and commits it (output, changelogs and offsets
    /// become visible together). The caller has flushed the output first.</summary>
    public void CommitTransaction(IReadOnlyList<TopicPartitionOffset> offsets, IConsumerGroupMetadata group)
    {
        if (offsets.Count > 0) MaybeBeginTransaction();
        if (!InTransaction) return;
        try
        {
            if (offsets.Count > 0) Guard(() => Producer.SendOffsetsToTransaction(offsets, group, _timeout), "sending offsets to the transaction");
            Guard(() => Producer.CommitTransaction(_timeout), "committing the transaction");
        }
        catch (KafkaException e)
        {
            // Whether it timed out or must be aborted, the safe way on is the same: abort, and let the tasks start
            // over from the last commit (nothing of this transaction was visible to read_committed readers).
            throw new TaskMigratedException($"The transaction could not commit ({e.Error.Reason}); its tasks start over from the last commit.", e);
        }
        InTransaction = false;
    }

    /// <summary>Aborts the open transaction, if any; a fenced producer cannot abort, and needs none (its epoch is dead).</summary>
    public void AbortTransaction()
    {
        if (!InTransaction) return;
        InTransaction = false;
        try { Producer.AbortTransaction(_timeout); }
        catch (KafkaException e) when (IsFenced(e.Error) || e.Error.IsFatal) { }
    }

    /// <summary>Replaces a fenced or failed producer by a new one with the same transactional id (which fences
    /// any zombie still using it).</summary>
    public void Reset()
    {
        InTransaction = false;
        var old = Producer;
        Producer = Start();
        old.Dispose();
    }

    private static void Guard(Action action, string what)
    {
        try { action(); }
        catch (KafkaException e) when (IsFenced(e.Error))
        {
            throw new TaskMigratedException($"The producer was fenced while {what}: another instance owns its tasks now.", e);
        }
    }

    /// <summary>Fenced by a newer producer with the same transactional id, or dead of another fatal error: either
    /// way this producer can do nothing more and its transaction's tasks must start over elsewhere or anew.</summary>
    public static bool IsFenced(Error error) =>
        error.Code is ErrorCode.Local_Fenced or ErrorCode.ProducerFenced or ErrorCode.InvalidProducerEpoch or ErrorCode.Local_Fatal;
}
