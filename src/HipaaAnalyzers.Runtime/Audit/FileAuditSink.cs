using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// The embedded <see cref="IAuditSink"/>: an append-only JSON lines file with a hash chain and signed checkpoints, written
/// with group commit. When <see cref="WriteAsync"/> completes, the event is on disk (with
/// <see cref="AuditFlushMode.Durable"/>, the default).
/// </summary>
/// <remarks>
/// <para>
/// Concurrent calls are queued; one writer task takes every queued event (up to
/// <see cref="FileAuditSinkOptions.MaxBatchSize"/>), chains them, writes them with one write call, flushes the file to the
/// device, and only then completes the callers of that batch. If the write or the flush fails, every caller of the batch
/// gets an <see cref="AuditLogException"/> and the sink accepts no more events: an event is never acknowledged unless it
/// was written.
/// </para>
/// <para>
/// One writer per file: the sink holds an exclusive lock on <c>&lt;log&gt;.lock</c> while open, and a second sink on the
/// same file, in this process or another, fails with <see cref="AuditLogException"/>. The log itself stays readable
/// (<see cref="FileShare.Read"/>), so it can be verified while written. On open, the sink continues the chain after the
/// last record, which must verify; a partial last line (a write cut by a crash) is handled per
/// <see cref="FileAuditSinkOptions.TornTail"/>; if the log ends with an event rather than a checkpoint, the sink first
/// signs a checkpoint over it. <see cref="DisposeAsync"/> writes the queued events, then a closing checkpoint.
/// </para>
/// <para>See <c>docs/runtime/audit.md</c> for the record format, the guarantees and the retention guidance.</para>
/// </remarks>
public sealed partial class FileAuditSink : IAuditSink, IAsyncDisposable, IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly AuditSigningKey? _signingKey;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuditFlushMode _flushMode;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxBatchDelay;
    private readonly int _checkpointEvery;
    private readonly TimeSpan _checkpointInterval;
    private readonly bool _checkpointOnClose;
    private readonly Channel<PendingWrite> _queue;
    private readonly FileStream _lock;
    private readonly FileStream _log;
    private readonly FileStream? _anchor;
    private readonly AuditChainWriter _chain;
    private readonly Task _writer;
    private readonly object _disposeGate = new();
    private long _unsigned;
    private DateTimeOffset _firstUnsignedAt;
    private long _durableSeq;
    private volatile AuditLogException? _fault;
    private Task? _disposeTask;

    /// <summary>Opens (or creates) an audit log and starts its writer.</summary>
    /// <param name="options">The options; <see cref="FileAuditSinkOptions.Path"/> is required.</param>
    /// <param name="logger">Receives open, recovery and failure notices (paths and record numbers only); optional.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="AuditLogException">Another writer holds the log, its last record does not verify, or it has a partial last line and <see cref="AuditTornTailHandling.Refuse"/> is set.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public FileAuditSink(FileAuditSinkOptions options, ILogger<FileAuditSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Path))
        {
            throw new ArgumentException("FileAuditSinkOptions.Path is not set: give the audit log file.", nameof(options));
        }

        if (options.MaxBatchSize < 1 || options.MaxQueueLength < 1 || options.CheckpointEveryRecords < 0 ||
            options.CheckpointInterval < TimeSpan.Zero || options.MaxBatchDelay < TimeSpan.Zero ||
            !Enum.IsDefined(options.FlushMode) || !Enum.IsDefined(options.TornTail))
        {
            throw new ArgumentException("FileAuditSinkOptions: MaxBatchSize and MaxQueueLength must be at least 1, CheckpointEveryRecords, CheckpointInterval and MaxBatchDelay not negative, FlushMode and TornTail defined values.", nameof(options));
        }

        Path = System.IO.Path.GetFullPath(options.Path);
        _signingKey = options.SigningKey;
        _time = options.TimeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _flushMode = options.FlushMode;
        _maxBatchSize = options.MaxBatchSize;
        _maxBatchDelay = options.MaxBatchDelay;
        _checkpointEvery = options.CheckpointEveryRecords;
        _checkpointInterval = options.CheckpointInterval;
        _checkpointOnClose = options.CheckpointOnClose;

        string? directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _lock = AcquireLock(Path);
        FileStream? log = null;
        FileStream? anchor = null;
        try
        {
            AuditRecord? last = RecoverTail(options.TornTail);
            _chain = last is null ? new AuditChainWriter() : AuditChainWriter.After(last);
            _durableSeq = _chain.LastSeq;
            log = OpenAppend(Path);
            if (options.CheckpointAnchorPath is { Length: > 0 } anchorPath)
            {
                string fullAnchor = System.IO.Path.GetFullPath(anchorPath);
                string? anchorDirectory = System.IO.Path.GetDirectoryName(fullAnchor);
                if (!string.IsNullOrEmpty(anchorDirectory))
                {
                    Directory.CreateDirectory(anchorDirectory);
                }

                anchor = OpenAppend(fullAnchor);
            }

            _log = log;
            _anchor = anchor;
            Log.Opened(_logger, Path, _chain.LastSeq);

            if (last is { Kind: AuditRecordKind.Event } && _signingKey is not null)
            {
                // The previous writer stopped without its closing checkpoint: sign what it left before adding to it.
                _unsigned = 1;
                var buffer = new ArrayBufferWriter<byte>(512);
                var checkpoints = new List<byte[]>(1);
                AppendCheckpoint(buffer, checkpoints);
                Persist(buffer, checkpoints);
            }
        }
        catch
        {
            log?.Dispose();
            anchor?.Dispose();
            _lock.Dispose();
            throw;
        }

        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.MaxQueueLength)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Gets the full path of the log file.</summary>
    public string Path { get; }

    /// <summary>Gets the seq of the last record known to be durable (written and flushed).</summary>
    public long LastDurableSeq => Interlocked.Read(ref _durableSeq);

    /// <summary>Gets what was repaired on open (a quarantined partial last line), or <see langword="null"/>.</summary>
    public AuditLogRecovery? Recovery { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The event cannot be recorded (see <see cref="AuditChainWriter.AppendEvent(AuditEvent)"/>).</exception>
    /// <exception cref="AuditLogException">The write failed; the event was not stored.</exception>
    /// <exception cref="ObjectDisposedException">The sink is closed.</exception>
    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        await AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Appends an event and returns its seq once it is durable. Cancellation is honoured while the event waits in the
    /// queue; once the writer has taken it into a batch, the call completes when the batch is durable (or failed).
    /// </summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting for a place in the queue or for the writer to take the event.</param>
    /// <returns>The seq of the event's record.</returns>
    /// <exception cref="ArgumentException">The event cannot be recorded; the message names the member, never its value.</exception>
    /// <exception cref="AuditLogException">The write failed; the event was not stored.</exception>
    /// <exception cref="ObjectDisposedException">The sink is closed.</exception>
    public async ValueTask<long> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        byte[] members = AuditRecordFormat.SerializeEventMembers(auditEvent);
        cancellationToken.ThrowIfCancellationRequested();
        return await EnqueueAsync(new PendingWrite(members), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a checkpoint now if records were added since the last one (needs a signing key), and waits until it is durable.</summary>
    /// <param name="cancellationToken">Stops waiting while the request is queued.</param>
    /// <returns>The seq of the last record of the log.</returns>
    public async ValueTask<long> WriteCheckpointAsync(CancellationToken cancellationToken = default) =>
        await EnqueueAsync(new PendingWrite(null), cancellationToken).ConfigureAwait(false);

    /// <summary>Writes every queued event, a closing checkpoint (see <see cref="FileAuditSinkOptions.CheckpointOnClose"/>), then closes the files and releases the lock.</summary>
    /// <returns>A task that completes when the log is closed.</returns>
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

    /// <summary>Returns the path and the last durable seq.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant($"FileAuditSink '{Path}' (last durable seq {LastDurableSeq})");

    private async ValueTask<long> EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable();
        if (cancellationToken.CanBeCanceled)
        {
            pending.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingWrite)state!).TryCancel(token), pending);
        }

        try
        {
            if (!_queue.Writer.TryWrite(pending))
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChannelClosedException)
        {
            pending.Registration.Dispose();
            ThrowIfUnavailable();
            throw new ObjectDisposedException(nameof(FileAuditSink));
        }
        catch
        {
            pending.Registration.Dispose();
            throw;
        }

        try
        {
            return await pending.Task.ConfigureAwait(false);
        }
        finally
        {
            pending.Registration.Dispose();
        }
    }

    private void ThrowIfUnavailable()
    {
        if (_fault is { } fault)
        {
            throw new AuditLogException(CryptoHelpers.FormatInvariant($"The audit log '{Path}' stopped accepting events after a write failure; the event was not stored. Reopen the log to resume."), fault);
        }

        if (Volatile.Read(ref _disposeTask) is not null)
        {
            throw new ObjectDisposedException(nameof(FileAuditSink));
        }
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
            _log.Dispose();
            _anchor?.Dispose();
            _lock.Dispose();
            Log.Closed(_logger, Path, LastDurableSeq);
        }
    }

    private async Task RunWriterAsync()
    {
        var batch = new List<PendingWrite>(Math.Min(_maxBatchSize, 4096));
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var checkpoints = new List<byte[]>();
        ChannelReader<PendingWrite> reader = _queue.Reader;
        Task<bool>? waitForWork = null;
        try
        {
            while (true)
            {
                if (!reader.TryRead(out PendingWrite? first))
                {
                    TimeSpan? untilCheckpoint = TimeUntilCheckpoint();
                    if (untilCheckpoint is { } due && due <= TimeSpan.Zero)
                    {
                        WriteBatch(batch, buffer, checkpoints, forceCheckpoint: true);
                        continue;
                    }

                    waitForWork ??= reader.WaitToReadAsync().AsTask();
                    if (untilCheckpoint is { } delay)
                    {
                        using var timer = new CancellationTokenSource();
                        Task elapsed = Task.Delay(delay, _time, timer.Token);
                        Task done = await Task.WhenAny(waitForWork, elapsed).ConfigureAwait(false);
                        timer.Cancel();
                        if (done != waitForWork)
                        {
                            continue;
                        }
                    }

                    bool more = await waitForWork.ConfigureAwait(false);
                    waitForWork = null;
                    if (!more)
                    {
                        break;
                    }

                    continue;
                }

                batch.Add(first);
                Drain(reader, batch);
                if (_maxBatchDelay > TimeSpan.Zero && batch.Count < _maxBatchSize)
                {
                    await Task.Delay(_maxBatchDelay, _time).ConfigureAwait(false);
                    Drain(reader, batch);
                }

                WriteBatch(batch, buffer, checkpoints, forceCheckpoint: false);
            }

            if (_checkpointOnClose)
            {
                WriteBatch(batch, buffer, checkpoints, forceCheckpoint: true);
            }
        }
        catch (Exception exception)
        {
            var fault = new AuditLogException(
                CryptoHelpers.FormatInvariant($"Writing to the audit log '{Path}' failed ({exception.GetType().Name}); the events of the batch were not acknowledged and the sink accepts no more events. Reopen the log to resume."),
                exception);
            _fault = fault;
            Log.WriteFailed(_logger, Path, exception.GetType().Name, exception);
            foreach (PendingWrite pending in batch)
            {
                pending.TrySetException(fault);
            }

            _queue.Writer.TryComplete();
            while (reader.TryRead(out PendingWrite? pending))
            {
                pending.TrySetException(fault);
            }
        }
    }

    private void Drain(ChannelReader<PendingWrite> reader, List<PendingWrite> batch)
    {
        while (batch.Count < _maxBatchSize && reader.TryRead(out PendingWrite? next))
        {
            batch.Add(next);
        }
    }

    private TimeSpan? TimeUntilCheckpoint()
    {
        if (_signingKey is null || _checkpointInterval <= TimeSpan.Zero || _unsigned == 0)
        {
            return null;
        }

        return _firstUnsignedAt + _checkpointInterval - _time.GetUtcNow();
    }

    /// <summary>Chains, writes and flushes a batch, then completes its callers. Throws on I/O failure (the caller faults the sink).</summary>
    private void WriteBatch(List<PendingWrite> batch, ArrayBufferWriter<byte> buffer, List<byte[]> checkpoints, bool forceCheckpoint)
    {
        buffer.ResetWrittenCount();
        checkpoints.Clear();
        bool checkpointRequested = forceCheckpoint;
        foreach (PendingWrite pending in batch)
        {
            if (pending.Members is null)
            {
                checkpointRequested |= pending.TryTake();
                continue;
            }

            if (!pending.TryTake())
            {
                continue; // cancelled while queued
            }

            byte[] line = _chain.AppendEventLine(pending.Members, out long seq);
            pending.Seq = seq;
            if (_unsigned++ == 0)
            {
                _firstUnsignedAt = _time.GetUtcNow();
            }

            buffer.Write(line);
            buffer.Write(NewLine);
            if (_checkpointEvery > 0 && _unsigned >= _checkpointEvery && _signingKey is not null)
            {
                AppendCheckpoint(buffer, checkpoints);
            }
        }

        if (_unsigned > 0 && _signingKey is not null && (checkpointRequested || (_checkpointInterval > TimeSpan.Zero && _time.GetUtcNow() - _firstUnsignedAt >= _checkpointInterval)))
        {
            AppendCheckpoint(buffer, checkpoints);
        }

        if (buffer.WrittenCount > 0)
        {
            Persist(buffer, checkpoints);
        }

        long last = _chain.LastSeq;
        foreach (PendingWrite pending in batch)
        {
            pending.TrySetResult(pending.Members is null ? last : pending.Seq);
        }

        batch.Clear();
    }

    private void AppendCheckpoint(ArrayBufferWriter<byte> buffer, List<byte[]> checkpoints)
    {
        AuditRecord checkpoint = _chain.AppendCheckpoint(_signingKey!, _time.GetUtcNow());
        byte[] line = checkpoint.Utf8Line.ToArray();
        buffer.Write(line);
        buffer.Write(NewLine);
        checkpoints.Add(line);
        _unsigned = 0;
    }

    private void Persist(ArrayBufferWriter<byte> buffer, List<byte[]> checkpoints)
    {
        _log.Write(buffer.WrittenSpan);
        _log.Flush(flushToDisk: _flushMode == AuditFlushMode.Durable);
        if (_anchor is not null && checkpoints.Count > 0)
        {
            foreach (byte[] line in checkpoints)
            {
                _anchor.Write(line);
                _anchor.Write(NewLine);
            }

            _anchor.Flush(flushToDisk: _flushMode == AuditFlushMode.Durable);
        }

        Interlocked.Exchange(ref _durableSeq, _chain.LastSeq);
    }

    private static FileStream AcquireLock(string path)
    {
        try
        {
            // FileShare.None takes an exclusive lock (flock on Unix), released by the OS when the process ends.
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException exception) when (exception is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new AuditLogException(
                CryptoHelpers.FormatInvariant($"The audit log '{path}' is already open for writing by another FileAuditSink (the lock file '{path}.lock' is held, by this or another process). A log has one writer; give each process its own log file."),
                exception);
        }
    }

    private static FileStream OpenAppend(string path) =>
        new(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 });

    /// <summary>Finds the last record of the log; cuts a partial last line per the options. Returns null for an empty log.</summary>
    private AuditRecord? RecoverTail(AuditTornTailHandling tornTail)
    {
        using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        long length = file.Length;
        long lastNewline = FindLastNewline(file, length, long.MaxValue);
        long tornStart = lastNewline + 1;
        if (tornStart < length)
        {
            long tornBytes = length - tornStart;
            if (tornTail == AuditTornTailHandling.Refuse)
            {
                throw new AuditLogException(CryptoHelpers.FormatInvariant(
                    $"The audit log '{Path}' ends with {tornBytes} byte(s) after its last line end: a write was interrupted. The sink does not extend a partial line. Move those bytes out of the log, or open it with TornTail = Quarantine."));
            }

            string quarantine = Path + ".torn-" + _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
            using (var copy = new FileStream(quarantine, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Position = tornStart;
                file.CopyTo(copy);
                copy.Flush(flushToDisk: true);
            }

            file.SetLength(tornStart);
            file.Flush(flushToDisk: true);
            length = tornStart;
            Log.TornTailQuarantined(_logger, Path, tornBytes, quarantine);
            Recovery = new AuditLogRecovery(tornBytes, quarantine, 0);
        }

        if (lastNewline < 0)
        {
            return null;
        }

        long previousNewline = FindLastNewline(file, lastNewline, AuditChain.MaximumLineLength + 1);
        if (previousNewline == -2)
        {
            throw Corrupt("its last line is longer than a record may be");
        }

        long lineStart = previousNewline + 1;
        var line = new byte[lastNewline - lineStart];
        file.Position = lineStart;
        file.ReadExactly(line);
        AuditParseStatus status = AuditRecordFormat.Parse(line, out AuditRecord? record, out string message);
        if (status != AuditParseStatus.Ok)
        {
            throw Corrupt(message);
        }

        if (Recovery is { } recovery)
        {
            Recovery = recovery with { ResumedAfterSeq = record!.Seq };
        }

        return record;
    }

    private AuditLogException Corrupt(string problem) =>
        new(CryptoHelpers.FormatInvariant($"The audit log '{Path}' ends with a record that does not verify ({problem}). The sink does not append to a log whose last record is broken; check it with AuditChainVerifier."));

    /// <summary>The position of the last '\n' before <paramref name="before"/>; -1 when there is none; -2 when none within <paramref name="limit"/> bytes (and the file goes on).</summary>
    private static long FindLastNewline(FileStream file, long before, long limit)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long end = before;
            long scanned = 0;
            while (end > 0)
            {
                int size = (int)Math.Min(chunk.Length, end);
                long start = end - size;
                file.Position = start;
                file.ReadExactly(chunk, 0, size);
                int index = Array.LastIndexOf(chunk, (byte)'\n', size - 1, size);
                if (index >= 0)
                {
                    long position = start + index;
                    return before - position > limit ? -2 : position;
                }

                scanned += size;
                if (scanned > limit)
                {
                    return -2;
                }

                end = start;
            }

            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private sealed class PendingWrite : TaskCompletionSource<long>
    {
        private int _state;

        public PendingWrite(byte[]? members)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            Members = members;
        }

        /// <summary>The prepared event members, or null for a checkpoint request.</summary>
        public byte[]? Members { get; }

        public long Seq { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        /// <summary>The writer takes the item; false when it was cancelled first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public void TryCancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
            {
                TrySetCanceled(token);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7301, EventName = "AuditLogOpened", Level = LogLevel.Information,
            Message = "Opened the audit log {Path}; continuing after record {LastSeq}.")]
        public static partial void Opened(ILogger logger, string path, long lastSeq);

        [LoggerMessage(EventId = 7302, EventName = "AuditLogTornTailQuarantined", Level = LogLevel.Warning,
            Message = "The audit log {Path} ended with {TornBytes} byte(s) of a partial line (a write interrupted by a crash; never acknowledged). They were moved to {QuarantinePath}.")]
        public static partial void TornTailQuarantined(ILogger logger, string path, long tornBytes, string quarantinePath);

        [LoggerMessage(EventId = 7303, EventName = "AuditLogWriteFailed", Level = LogLevel.Error,
            Message = "Writing to the audit log {Path} failed ({ErrorType}); the sink accepts no more events.")]
        public static partial void WriteFailed(ILogger logger, string path, string errorType, Exception exception);

        [LoggerMessage(EventId = 7304, EventName = "AuditLogClosed", Level = LogLevel.Information,
            Message = "Closed the audit log {Path} after record {LastSeq}.")]
        public static partial void Closed(ILogger logger, string path, long lastSeq);
    }
}
