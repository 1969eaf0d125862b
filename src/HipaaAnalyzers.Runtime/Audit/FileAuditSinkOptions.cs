using System;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>When <see cref="FileAuditSink"/> acknowledges a write.</summary>
public enum AuditFlushMode
{
    /// <summary>
    /// The default: each batch is written and flushed to the storage device (<c>fsync</c> on Linux and macOS,
    /// <c>FlushFileBuffers</c> on Windows) before any event in it is acknowledged. An acknowledged event survives a
    /// process crash and a power loss (as far as the device honours flushes).
    /// </summary>
    Durable = 0,

    /// <summary>
    /// Each batch is handed to the operating system before it is acknowledged, without waiting for the device. An
    /// acknowledged event survives a process crash, not an operating system crash or power loss. Faster; choose it
    /// only where losing the last second of audit events on power loss is acceptable.
    /// </summary>
    OperatingSystem = 1,
}

/// <summary>What <see cref="FileAuditSink"/> does with bytes after the last line end when it opens a log (a write cut short by a crash).</summary>
public enum AuditTornTailHandling
{
    /// <summary>
    /// The default: copy the partial line to <c>&lt;log&gt;.torn-&lt;UTC time&gt;</c>, cut it from the log, log a warning and
    /// report it in <see cref="FileAuditSink.Recovery"/>. A partial line was never acknowledged (acknowledgement follows
    /// the flush of the whole line), so no acknowledged event is lost, and the bytes are kept for investigation.
    /// </summary>
    Quarantine = 0,

    /// <summary>Refuse to open the log (an <see cref="AuditLogException"/>); an operator inspects it and cuts the partial line.</summary>
    Refuse = 1,
}

/// <summary>Options of <see cref="FileAuditSink"/>.</summary>
public sealed class FileAuditSinkOptions
{
    /// <summary>Gets or sets the log file. Required. Its directory is created when missing.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Gets or sets the key that signs checkpoints. The sink does not dispose it. Without a key the log is hash-chained but
    /// has no checkpoints, so a rewrite of the whole file cannot be detected: configure one in production.
    /// </summary>
    public AuditSigningKey? SigningKey { get; set; }

    /// <summary>Gets or sets after how many records a checkpoint is written; 0 turns the count trigger off. Default 1000.</summary>
    public int CheckpointEveryRecords { get; set; } = 1000;

    /// <summary>
    /// Gets or sets how long records may stay unsigned before a checkpoint is written (when there are new records);
    /// <see cref="TimeSpan.Zero"/> turns the time trigger off. Default one minute.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets a value indicating whether closing the sink writes a final checkpoint over records not yet signed. Default <see langword="true"/>.</summary>
    public bool CheckpointOnClose { get; set; } = true;

    /// <summary>
    /// Gets or sets a second file that receives a copy of every checkpoint line (flushed like the log). Put it where
    /// whoever can change the log cannot (another volume, host or account), and pass it to
    /// <see cref="AuditVerificationOptions.CheckpointAnchorPath"/>: then cutting records from the end of the log is
    /// detected as <see cref="AuditVerificationFailureKind.Truncated"/>. Optional.
    /// </summary>
    public string? CheckpointAnchorPath { get; set; }

    /// <summary>Gets or sets when writes are acknowledged. Default <see cref="AuditFlushMode.Durable"/>.</summary>
    public AuditFlushMode FlushMode { get; set; } = AuditFlushMode.Durable;

    /// <summary>Gets or sets the most events written and flushed together. Default 1024.</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>
    /// Gets or sets how long the writer waits for more events before writing a batch that is not full. Default
    /// <see cref="TimeSpan.Zero"/>: write as soon as the writer is free (events that arrive during a flush form the next
    /// batch, which already batches well under load). A small delay (1-2 ms) trades latency for fewer flushes.
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how many events may wait for the writer; further callers wait for room. Default 65536.</summary>
    public int MaxQueueLength { get; set; } = 65536;

    /// <summary>Gets or sets what to do with a partial last line found on open. Default <see cref="AuditTornTailHandling.Quarantine"/>.</summary>
    public AuditTornTailHandling TornTail { get; set; } = AuditTornTailHandling.Quarantine;

    /// <summary>Gets or sets the clock for checkpoint times and intervals; default <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }
}

/// <summary>What <see cref="FileAuditSink"/> found and repaired when it opened a log.</summary>
/// <param name="TornBytes">The number of bytes after the last line end that were cut from the log.</param>
/// <param name="QuarantinePath">The file that holds those bytes.</param>
/// <param name="ResumedAfterSeq">The seq of the last record of the log, after which writing resumed.</param>
public sealed record AuditLogRecovery(long TornBytes, string QuarantinePath, long ResumedAfterSeq);

/// <summary>
/// The exception thrown when an audit log cannot be opened or written: another writer holds it, its last record does not
/// verify, a partial last line was found and <see cref="AuditTornTailHandling.Refuse"/> is set, or a write failed (then
/// the events of that batch were not acknowledged, and the sink accepts no more events).
/// </summary>
/// <remarks>Messages name the file and the record number; they never contain event content or key material.</remarks>
public sealed class AuditLogException : System.IO.IOException
{
    /// <summary>Initializes a new instance of the <see cref="AuditLogException"/> class.</summary>
    public AuditLogException()
        : base("The audit log could not be opened or written.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditLogException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public AuditLogException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditLogException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause (an I/O error).</param>
    public AuditLogException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
