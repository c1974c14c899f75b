namespace Otto.Simulator;

/// <summary>Live counts of a run, written by the simulated systems' threads and read by anyone.</summary>
internal sealed class SimulationCounters
{
    private long _payments, _events, _duplicates, _poison, _deliveryFailures, _requests, _replies, _flagRecords, _deadLettered, _accounts, _fixes, _fixesRepeated;

    public long Payments => Interlocked.Read(ref _payments);
    public long Events => Interlocked.Read(ref _events);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Poison => Interlocked.Read(ref _poison);
    public long DeliveryFailures => Interlocked.Read(ref _deliveryFailures);
    public long Requests => Interlocked.Read(ref _requests);
    public long Replies => Interlocked.Read(ref _replies);
    public long FlagRecords => Interlocked.Read(ref _flagRecords);
    public long DeadLettered => Interlocked.Read(ref _deadLettered);
    public long Accounts => Interlocked.Read(ref _accounts);
    public long Fixes => Interlocked.Read(ref _fixes);
    public long FixesRepeated => Interlocked.Read(ref _fixesRepeated);

    public void PaymentPublished() => Interlocked.Increment(ref _payments);
    public void EventPublished() => Interlocked.Increment(ref _events);
    public void DuplicatePublished() => Interlocked.Increment(ref _duplicates);
    public void PoisonPublished() => Interlocked.Increment(ref _poison);
    public void DeliveryFailed() => Interlocked.Increment(ref _deliveryFailures);
    public void RequestSeen() => Interlocked.Increment(ref _requests);
    public void ReplySent() => Interlocked.Increment(ref _replies);
    public void FlagSeen() => Interlocked.Increment(ref _flagRecords);
    public void DeadLetterSeen() => Interlocked.Increment(ref _deadLettered);
    public void AccountPublished() => Interlocked.Increment(ref _accounts);
    public void FixApplied() => Interlocked.Increment(ref _fixes);
    public void FixRepeated() => Interlocked.Increment(ref _fixesRepeated);
}
