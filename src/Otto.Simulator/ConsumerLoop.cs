using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Otto.Simulator;

/// <summary>
/// Runs a consumer on a dedicated thread (Confluent's Consume blocks) until stopped, then closes it so the
/// group rebalances at once, and disposes it. A record handler that throws is logged, and the loop goes on.
/// </summary>
internal sealed class ConsumerLoop
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly Action<ConsumeResult<byte[]?, byte[]?>> _handle;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private bool _started;

    public ConsumerLoop(string name, IConsumer<byte[]?, byte[]?> consumer, IEnumerable<string> topics,
        Action<ConsumeResult<byte[]?, byte[]?>> handle, ILogger logger)
    {
        _name = name;
        _consumer = consumer;
        _handle = handle;
        _logger = logger;
        _consumer.Subscribe(topics);
    }

    /// <summary>Completes when the loop has closed its consumer.</summary>
    public Task Stopped => _stopped.Task;

    public void Start()
    {
        _started = true;
        new Thread(Run) { IsBackground = true, Name = _name }.Start();
    }

    /// <summary>Asks the loop to stop and waits (at most <paramref name="timeout"/>) until it has.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _stop.Cancel();
        if (!_started)
        {
            _consumer.Dispose();
            _stopped.TrySetResult();
            return;
        }
        if (await Task.WhenAny(Stopped, Task.Delay(timeout)) != Stopped)
            _logger.LogWarning("{Name} did not stop within {Timeout}", _name, timeout);
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                ConsumeResult<byte[]?, byte[]?>? result;
                try
                {
                    result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e)
                {
                    _logger.LogWarning("{Name}: {Reason}", _name, e.Error.Reason);
                    continue;
                }
                if (result is null || result.IsPartitionEOF) continue;
                try
                {
                    _handle(result);
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "{Name}: could not handle {Topic}[{Partition}]@{Offset}", _name,
                        result.Topic, result.Partition.Value, result.Offset.Value);
                }
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Name} failed", _name);
        }
        finally
        {
            try
            {
                _consumer.Close();
            }
            catch (Exception e)
            {
                _logger.LogDebug(e, "{Name}: close failed", _name);
            }
            _consumer.Dispose();
            _stopped.TrySetResult();
        }
    }
}
