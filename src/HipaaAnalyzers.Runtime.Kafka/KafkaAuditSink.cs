using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Confluent.Kafka;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime.Kafka;

/// <summary>
/// An <see cref="IAuditSink"/> that appends audit records to one partition of a Kafka topic: the same hash-chained
/// records (seq, prev, hash, signed checkpoints) as <see cref="FileAuditSink"/>, one record per message value, one chain
/// per partition, so <see cref="KafkaAuditChainVerifier"/> (or <see cref="AuditChainVerifier"/> over the values) checks
/// them. <see cref="WriteAsync"/> completes only when the broker reports the record persisted by the in-sync replicas.
/// </summary>
/// <remarks>
/// <para>
/// The producer is idempotent with <c>acks=all</c> and <c>enable.gapless.guarantee</c>: retries cannot duplicate or
/// reorder records, and a record that cannot be delivered stops the ones after it rather than leaving a gap. Events are
/// queued; one writer task chains a batch, produces it and waits for every acknowledgement before completing its
/// callers. If any record of a batch is not acknowledged as persisted (a broker error, or no acknowledgement within
/// <see cref="KafkaAuditSinkOptions.DeliveryTimeout"/>), every caller of the batch gets an
/// <see cref="AuditWriteException"/>: an event is never acknowledged unless it was persisted. Some records of a failed
/// batch may still have been stored; the next batch therefore starts by reading the partition's end again and continues
/// the chain from what is really there.
/// </para>
/// <para>
/// On open (the first write, or <see cref="OpenAsync"/>) the sink reads the last record of its partition, which must be
/// a valid audit record, and continues the chain after it; if that record is an event (the previous writer stopped
/// without its closing checkpoint), it first signs a checkpoint over it. Kafka's durability comes from replication, not
/// from fsync: see docs/runtime/audit.md for the topic settings this relies on.
/// </para>
/// </remarks>
public sealed partial class KafkaAuditSink : IAuditSink, IAsyncDisposable, IDisposable
{
    private static readonly string[] ReservedSettings =
    {
        "acks", "request.required.acks", "enable.idempotence", "enable.gapless.guarantee", "max.in.flight.requests.per.connection",
        "max.in.flight", "message.timeout.ms", "delivery.timeout.ms", "transactional.id", "bootstrap.servers",
    };

    private readonly KafkaAuditSinkOptions _options;
    private readonly TopicPartition _partition;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue;
    private readonly Task _writer;
    private readonly object _disposeGate = new();
    private IProducer<Null, byte[]>? _producer;
    private AuditChainWriter? _chain;
    private DateTimeOffset _firstUnsignedAt;
    private long _lastPersistedSeq;
    private Task? _disposeTask;

    /// <summary>Initializes the sink and starts its writer; it connects on the first write or on <see cref="OpenAsync"/>.</summary>
    /// <param name="options">Brokers, topic, partition, signing key and timeouts.</param>
    /// <param name="logger">Receives open, resume and failure notices (topic, partition, offsets and seqs only); optional.</param>
    /// <exception cref="ArgumentException">A required option is missing, out of range, or a reserved client setting is set.</exception>
    public KafkaAuditSink(KafkaAuditSinkOptions options, ILogger<KafkaAuditSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        if (string.IsNullOrWhiteSpace(_options.BootstrapServers) || string.IsNullOrWhiteSpace(_options.Topic))
        {
            throw new ArgumentException("KafkaAuditSinkOptions.BootstrapServers and Topic are required.", nameof(options));
        }

        if (_options.Partition < 0 || _options.CheckpointEveryRecords < 0 || _options.CheckpointInterval < TimeSpan.Zero || _options.MaxBatchSize < 1 ||
            _options.MaxQueueLength < 1 || _options.DeliveryTimeout < TimeSpan.FromSeconds(1) || _options.OperationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("KafkaAuditSinkOptions: Partition, CheckpointEveryRecords and CheckpointInterval must not be negative, MaxBatchSize and MaxQueueLength at least 1, DeliveryTimeout at least 1 s, OperationTimeout positive.", nameof(options));
        }

        if (_options.ClientSettings.Keys.FirstOrDefault(k => ReservedSettings.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } reserved)
        {
            throw new ArgumentException("KafkaAuditSinkOptions.ClientSettings may not set '" + reserved + "': the sink sets it for durability (or from BootstrapServers).", nameof(options));
        }

        _partition = new TopicPartition(_options.Topic, new Partition(_options.Partition));
        _time = _options.TimeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_options.MaxQueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Gets the topic.</summary>
    public string Topic => _partition.Topic;

    /// <summary>Gets the partition, which holds this sink's chain.</summary>
    public int Partition => _partition.Partition.Value;

    /// <summary>Gets the seq of the last record the brokers acknowledged as persisted.</summary>
    public long LastPersistedSeq => Interlocked.Read(ref _lastPersistedSeq);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The event cannot be recorded; the message names the member, never its value.</exception>
    /// <exception cref="AuditWriteException">The record was not acknowledged as persisted (broker error, timeout, or a partition that does not end with a valid record).</exception>
    /// <exception cref="ObjectDisposedException">The sink is closed.</exception>
    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        await AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);

    /// <summary>Appends an event and returns its seq once the brokers acknowledged it as persisted.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue; once queued, the call completes when the batch is acknowledged or failed.</param>
    /// <returns>The seq of the event's record.</returns>
    /// <exception cref="ArgumentException">The event cannot be recorded.</exception>
    /// <exception cref="AuditWriteException">The record was not acknowledged as persisted.</exception>
    public async ValueTask<long> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        AuditRecordFormatCheck(auditEvent);
        return await EnqueueAsync(new Pending(PendingKind.Event, auditEvent), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects and reads the end of the partition now, so a broker or topic problem stops startup rather than the first request.</summary>
    /// <param name="cancellationToken">Stops waiting for the queue.</param>
    /// <returns>The seq of the last record of the partition.</returns>
    /// <exception cref="AuditWriteException">The partition's end could not be read in time, or is not a valid audit record.</exception>
    public async ValueTask<long> OpenAsync(CancellationToken cancellationToken = default) =>
        await EnqueueAsync(new Pending(PendingKind.Open, null), cancellationToken).ConfigureAwait(false);

    /// <summary>Writes a checkpoint now if records were added since the last one (needs a signing key) and waits for its acknowledgement.</summary>
    /// <param name="cancellationToken">Stops waiting for the queue.</param>
    /// <returns>The seq of the last record of the partition.</returns>
    public async ValueTask<long> WriteCheckpointAsync(CancellationToken cancellationToken = default) =>
        await EnqueueAsync(new Pending(PendingKind.Checkpoint, null), cancellationToken).ConfigureAwait(false);

    /// <summary>Writes the queued events and a closing checkpoint, then closes the producer.</summary>
    /// <returns>A task that completes when the sink is closed.</returns>
    public ValueTask DisposeAsync()
    {
        lock (_disposeGate)
        {
            _disposeTask ??= CloseAsync();
        }

        return new ValueTask(_disposeTask);
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Returns the topic, partition and last persisted seq.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Format($"KafkaAuditSink '{Topic}' partition {Partition} (last persisted seq {LastPersistedSeq})");

    internal static ProducerConfig ProducerConfig(KafkaAuditSinkOptions options) => new(new Dictionary<string, string>(options.ClientSettings))
    {
        BootstrapServers = options.BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        MaxInFlight = 5,
        EnableGaplessGuarantee = true,
        MessageTimeoutMs = (int)options.DeliveryTimeout.TotalMilliseconds,
        RequestTimeoutMs = (int)Math.Min(options.DeliveryTimeout.TotalMilliseconds, 30_000),
        LingerMs = 0,   // a batch is produced at once and then awaited: nothing is gained by waiting for more
        SocketTimeoutMs = (int)Math.Max(options.OperationTimeout.TotalMilliseconds, 10),
    };

    internal static ConsumerConfig ReaderConfig(string bootstrapServers, IDictionary<string, string> settings, TimeSpan timeout) => new(new Dictionary<string, string>(settings))
    {
        BootstrapServers = bootstrapServers,
        GroupId = "hipaa-audit-reader-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Error,
        SocketTimeoutMs = (int)Math.Max(timeout.TotalMilliseconds, 10),
        EnablePartitionEof = true,
    };

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void AuditRecordFormatCheck(AuditEvent auditEvent) =>

        // Builds the record on a scratch chain so an event that cannot be recorded fails the caller alone, at once.
        new AuditChainWriter().AppendEvent(auditEvent);

    private async ValueTask<long> EnqueueAsync(Pending pending, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposeTask) is not null)
        {
            throw new ObjectDisposedException(nameof(KafkaAuditSink));
        }

        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(KafkaAuditSink));
        }

        return await pending.Task.ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        finally
        {
            _producer?.Dispose();
            _producer = null;
            Log.Closed(_logger, Topic, Partition, LastPersistedSeq);
        }
    }

    private async Task RunWriterAsync()
    {
        ChannelReader<Pending> reader = _queue.Reader;
        var batch = new List<Pending>();
        while (true)
        {
            Task<bool> waiting = reader.WaitToReadAsync().AsTask();
            if (TimeUntilCheckpoint() is { } due)
            {
                if (due > TimeSpan.Zero)
                {
                    await Task.WhenAny(waiting, Task.Delay(due, _time)).ConfigureAwait(false);
                }

                if (!waiting.IsCompleted)
                {
                    await WriteBatchAsync(batch).ConfigureAwait(false);   // a timed checkpoint
                    continue;
                }
            }

            if (!await waiting.ConfigureAwait(false))
            {
                break;
            }

            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out Pending? pending))
            {
                batch.Add(pending);
            }

            await WriteBatchAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }

        if (_options.CheckpointOnClose && _chain is { RecordsSinceCheckpoint: > 0 } && _options.SigningKey is not null)
        {
            await WriteBatchAsync(new List<Pending> { new(PendingKind.Checkpoint, null) }).ConfigureAwait(false);
        }
    }

    private TimeSpan? TimeUntilCheckpoint()
    {
        if (_chain is not { RecordsSinceCheckpoint: > 0 } || _options.SigningKey is null || _options.CheckpointInterval <= TimeSpan.Zero)
        {
            return null;
        }

        TimeSpan left = _firstUnsignedAt + _options.CheckpointInterval - _time.GetUtcNow();
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>Chains, produces and awaits one batch; completes or fails its callers. Never throws.</summary>
    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            if (_chain is null)
            {
                await OpenChainAsync().ConfigureAwait(false);
            }

            AuditChainWriter chain = _chain!;
            var records = new List<AuditRecord>(batch.Count + 1);
            bool checkpointAsked = false;
            foreach (Pending pending in batch)
            {
                if (pending.Kind == PendingKind.Event)
                {
                    if (chain.RecordsSinceCheckpoint == 0)
                    {
                        _firstUnsignedAt = _time.GetUtcNow();
                    }

                    AuditRecord record = chain.AppendEvent(pending.Event!);
                    pending.Seq = record.Seq;
                    records.Add(record);
                    if (_options.CheckpointEveryRecords > 0 && chain.RecordsSinceCheckpoint >= _options.CheckpointEveryRecords)
                    {
                        AddCheckpoint(chain, records);
                    }
                }
                else if (pending.Kind == PendingKind.Checkpoint)
                {
                    checkpointAsked = true;
                }
            }

            if ((checkpointAsked || batch.Count == 0) && chain.RecordsSinceCheckpoint > 0)
            {
                AddCheckpoint(chain, records);
            }

            await ProduceAsync(records).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastPersistedSeq, chain.LastSeq);
            foreach (Pending pending in batch)
            {
                pending.TrySetResult(pending.Kind == PendingKind.Event ? pending.Seq : chain.LastSeq);
            }
        }
        catch (Exception exception)
        {
            // The partition's end is unknown now (some records of the batch may be stored): read it again before the next batch.
            _chain = null;
            _producer?.Dispose();
            _producer = null;
            AuditWriteException failure = exception as AuditWriteException ?? new AuditWriteException(
                Format($"Audit records for Kafka topic '{Topic}' partition {Partition} were not acknowledged as persisted ({exception.GetType().Name}); the events of this batch may not be stored."),
                exception);
            Log.WriteFailed(_logger, Topic, Partition, batch.Count, exception.GetType().Name, exception);
            foreach (Pending pending in batch)
            {
                pending.TrySetException(failure);
            }
        }
    }

    private void AddCheckpoint(AuditChainWriter chain, List<AuditRecord> records)
    {
        if (_options.SigningKey is not { } key)
        {
            return;
        }

        try
        {
            records.Add(chain.AppendCheckpoint(key, _time.GetUtcNow()));
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or InvalidOperationException or ObjectDisposedException)
        {
            // As in the file sink: the events are still chained and written; signing is tried again after a pause (the
            // checkpoint interval) or at the next count trigger.
            _firstUnsignedAt = _time.GetUtcNow();
            Log.SigningFailed(_logger, Topic, Partition, key.KeyId, exception.GetType().Name, chain.LastSeq);
        }
    }

    private async Task ProduceAsync(List<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        IProducer<Null, byte[]> producer = _producer ??= new ProducerBuilder<Null, byte[]>(ProducerConfig(_options))
            .SetErrorHandler((_, error) => Log.ClientError(_logger, Topic, Partition, error.Code.ToString(), error.IsFatal))
            .SetLogHandler((_, _) => { })
            .Build();
        var deliveries = new List<Task<DeliveryResult<Null, byte[]>>>(records.Count);
        foreach (AuditRecord record in records)
        {
            deliveries.Add(producer.ProduceAsync(_partition, new Message<Null, byte[]> { Value = record.Utf8Line.ToArray() }));
        }

        Task all = Task.WhenAll(deliveries);
        TimeSpan limit = _options.DeliveryTimeout + TimeSpan.FromSeconds(10);
        if (await Task.WhenAny(all, Task.Delay(limit, _time)).ConfigureAwait(false) != all)
        {
            throw new AuditWriteException(Format($"Kafka did not acknowledge audit records for topic '{Topic}' partition {Partition} within {limit.TotalSeconds:N0} s; the events of this batch may not be stored."));
        }

        try
        {
            await all.ConfigureAwait(false);
        }
        catch (ProduceException<Null, byte[]> exception)
        {
            throw new AuditWriteException(
                Format($"Kafka refused or did not acknowledge an audit record for topic '{Topic}' partition {Partition} ({exception.Error.Code}{(exception.Error.Code == ErrorCode.Local_MsgTimedOut ? Format($": no acknowledgement within the delivery timeout of {_options.DeliveryTimeout.TotalSeconds:N0} s") : string.Empty)}); the events of this batch may not be stored."),
                exception);
        }

        foreach (Task<DeliveryResult<Null, byte[]>> delivery in deliveries)
        {
            if (delivery.Result.Status != PersistenceStatus.Persisted)
            {
                throw new AuditWriteException(Format($"Kafka reported an audit record for topic '{Topic}' partition {Partition} as {delivery.Result.Status}, not persisted."));
            }
        }
    }

    /// <summary>Reads the last record of the partition and continues the chain after it.</summary>
    private async Task OpenChainAsync()
    {
        AuditRecord? last = await Task.Run(ReadLastRecord).ConfigureAwait(false);
        var chain = last is null ? new AuditChainWriter() : AuditChainWriter.After(last);
        Log.Opened(_logger, Topic, Partition, chain.LastSeq);
        if (last is { Kind: AuditRecordKind.Event } && _options.SigningKey is not null)
        {
            // The previous writer stopped before its closing checkpoint: sign what it left before adding to it.
            var records = new List<AuditRecord>(1);
            _firstUnsignedAt = _time.GetUtcNow();
            AuditChainWriter resumed = AuditChainWriter.After(last);
            AddCheckpoint(resumed, records);
            await ProduceAsync(records).ConfigureAwait(false);
            chain = resumed;
        }

        Interlocked.Exchange(ref _lastPersistedSeq, chain.LastSeq);
        _chain = chain;
    }

    private AuditRecord? ReadLastRecord()
    {
        using IConsumer<Ignore, byte[]> consumer = new ConsumerBuilder<Ignore, byte[]>(ReaderConfig(_options.BootstrapServers!, _options.ClientSettings, _options.OperationTimeout))
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
        WatermarkOffsets offsets;
        try
        {
            offsets = consumer.QueryWatermarkOffsets(_partition, _options.OperationTimeout);
        }
        catch (KafkaException exception)
        {
            throw new AuditWriteException(
                Format($"Could not read the end of Kafka topic '{Topic}' partition {Partition} from {_options.BootstrapServers} within {_options.OperationTimeout.TotalSeconds:N0} s ({exception.Error.Code}); no event was written."),
                exception);
        }

        if (offsets.High.Value <= 0)
        {
            return null;
        }

        if (offsets.Low.Value >= offsets.High.Value)
        {
            throw new AuditWriteException(Format(
                $"Kafka topic '{Topic}' partition {Partition} held records up to offset {offsets.High.Value - 1}, but none is left (retention or deletion), so its chain cannot be continued. Keep audit topics with retention.ms=-1, or write to a new partition or topic."));
        }

        long lastOffset = offsets.High.Value - 1;
        consumer.Assign(new TopicPartitionOffset(_partition, new Offset(lastOffset)));
        DateTime deadline = DateTime.UtcNow + _options.OperationTimeout;
        while (DateTime.UtcNow < deadline)
        {
            ConsumeResult<Ignore, byte[]>? result;
            try
            {
                result = consumer.Consume(deadline - DateTime.UtcNow);
            }
            catch (ConsumeException exception)
            {
                throw new AuditWriteException(Format($"Could not read the last record of Kafka topic '{Topic}' partition {Partition} ({exception.Error.Code}); no event was written."), exception);
            }

            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            if (result.Message.Value is not { } value || !AuditRecord.TryParse(value, out AuditRecord? record, out string? error))
            {
                throw new AuditWriteException(Format(
                    $"Kafka topic '{Topic}' partition {Partition} ends with a message that is not a valid audit record (offset {result.Offset.Value}): a record written by someone else, or a corrupted one. The sink will not chain onto it; run KafkaAuditChainVerifier."));
            }

            _ = error;
            return record;
        }

        throw new AuditWriteException(Format($"Could not read the last record of Kafka topic '{Topic}' partition {Partition} within {_options.OperationTimeout.TotalSeconds:N0} s; no event was written."));
    }

    private enum PendingKind
    {
        Event,
        Checkpoint,
        Open,
    }

    private sealed class Pending : TaskCompletionSource<long>
    {
        public Pending(PendingKind kind, AuditEvent? auditEvent)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            Kind = kind;
            Event = auditEvent;
        }

        public PendingKind Kind { get; }

        public AuditEvent? Event { get; }

        public long Seq { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7601, EventName = "KafkaAuditOpened", Level = LogLevel.Information,
            Message = "Audit chain on Kafka topic {Topic} partition {Partition}: continuing after record {LastSeq}.")]
        public static partial void Opened(ILogger logger, string topic, int partition, long lastSeq);

        [LoggerMessage(EventId = 7602, EventName = "KafkaAuditWriteFailed", Level = LogLevel.Error,
            Message = "Audit records for Kafka topic {Topic} partition {Partition} were not acknowledged ({Count} request(s) failed, {ErrorType}); the next write reads the partition's end again.")]
        public static partial void WriteFailed(ILogger logger, string topic, int partition, int count, string errorType, Exception exception);

        [LoggerMessage(EventId = 7603, EventName = "KafkaAuditClientError", Level = LogLevel.Warning,
            Message = "Kafka client error for audit topic {Topic} partition {Partition}: {Code} (fatal: {IsFatal}).")]
        public static partial void ClientError(ILogger logger, string topic, int partition, string code, bool isFatal);

        [LoggerMessage(EventId = 7604, EventName = "KafkaAuditCheckpointSigningFailed", Level = LogLevel.Error,
            Message = "A checkpoint of the audit chain on Kafka topic {Topic} partition {Partition} could not be signed with key {KeyId} ({ErrorType}); records up to {LastSeq} are chained but not yet signed.")]
        public static partial void SigningFailed(ILogger logger, string topic, int partition, string keyId, string errorType, long lastSeq);

        [LoggerMessage(EventId = 7605, EventName = "KafkaAuditClosed", Level = LogLevel.Information,
            Message = "Closed the audit chain on Kafka topic {Topic} partition {Partition} after record {LastSeq}.")]
        public static partial void Closed(ILogger logger, string topic, int partition, long lastSeq);
    }
}
