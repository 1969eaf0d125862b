using System;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// Builds the records of one hash chain: numbers them, links each to the previous one and hashes it, and signs
/// checkpoints. Storage-neutral: <see cref="FileAuditSink"/> writes its records to a file; a database sink can store
/// <see cref="AuditRecord.Line"/> (or its members) in rows and check them with <see cref="AuditChainVerifier"/>.
/// </summary>
/// <remarks>
/// Not thread-safe: a chain has one writer, which serializes appends (the file sink does so with group commit). A failed
/// append (invalid event) leaves the state unchanged. Keep the state only after the record is stored; to resume, create a
/// writer with <see cref="After(AuditRecord)"/> from the last stored record.
/// </remarks>
public sealed class AuditChainWriter
{
    /// <summary>Initializes a writer for a new chain: the first record gets seq 1 and prev <see cref="AuditChain.GenesisHash"/>.</summary>
    public AuditChainWriter()
        : this(0, AuditChain.GenesisHash)
    {
    }

    /// <summary>Initializes a writer that continues a chain after the record <paramref name="lastSeq"/> with hash <paramref name="lastHash"/>.</summary>
    /// <param name="lastSeq">The seq of the last stored record, 0 for a new chain.</param>
    /// <param name="lastHash">Its hash (<see cref="AuditChain.GenesisHash"/> for a new chain).</param>
    /// <exception cref="ArgumentException">The seq is negative or the hash is not 64 lowercase hex digits.</exception>
    public AuditChainWriter(long lastSeq, string lastHash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastSeq);
        if (!AuditChain.IsWellFormedHash(lastHash))
        {
            throw new ArgumentException("The last hash must be 64 lowercase hexadecimal characters.", nameof(lastHash));
        }

        LastSeq = lastSeq;
        LastHash = lastHash;
    }

    /// <summary>Gets the seq of the last record built (0 before the first).</summary>
    public long LastSeq { get; private set; }

    /// <summary>Gets the hash of the last record built (<see cref="AuditChain.GenesisHash"/> before the first).</summary>
    public string LastHash { get; private set; }

    /// <summary>Gets the number of records built since the last checkpoint (or since this writer was created).</summary>
    public long RecordsSinceCheckpoint { get; private set; }

    /// <summary>Creates a writer that continues after <paramref name="last"/>.</summary>
    /// <param name="last">The last stored record.</param>
    /// <returns>The writer.</returns>
    public static AuditChainWriter After(AuditRecord last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return new AuditChainWriter(last.Seq, last.Hash);
    }

    /// <summary>Builds the next record for an event. The timestamp is written in UTC, truncated to the millisecond.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <returns>The record; write <see cref="AuditRecord.Utf8Line"/> and a <c>\n</c>.</returns>
    /// <exception cref="ArgumentException">The event cannot be recorded (null user or resource, undefined enum value, unpaired surrogate, too long); the message names the member, never its value.</exception>
    public AuditRecord AppendEvent(AuditEvent auditEvent) => AppendEvent(AuditRecordFormat.SerializeEventMembers(auditEvent), auditEvent);

    /// <summary>Builds a checkpoint record that signs the chain up to the last record.</summary>
    /// <param name="signingKey">The signing key.</param>
    /// <param name="timestamp">The checkpoint time, normally <see cref="TimeProvider.GetUtcNow"/>.</param>
    /// <returns>The record.</returns>
    /// <exception cref="InvalidOperationException">The chain is empty (there is nothing to sign).</exception>
    public AuditRecord AppendCheckpoint(AuditSigningKey signingKey, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (LastSeq == 0)
        {
            throw new InvalidOperationException("A checkpoint signs the records before it; the chain has none yet.");
        }

        timestamp = AuditRecordFormat.NormalizeTimestamp(timestamp);
        byte[] signature = signingKey.Sign(AuditRecordFormat.CheckpointSignedBytes(LastSeq, LastHash, timestamp, signingKey.KeyId));
        long seq = checked(LastSeq + 1);
        byte[] line = AuditRecordFormat.BuildCheckpointLine(seq, timestamp, LastSeq, signingKey.KeyId, signature, LastHash, out string hash);
        var record = new AuditRecord(seq, null, new AuditCheckpoint(LastSeq, LastHash, timestamp, signingKey.KeyId, signature), LastHash, hash, line);
        LastSeq = seq;
        LastHash = hash;
        RecordsSinceCheckpoint = 0;
        return record;
    }

    /// <summary>Builds the next event record from members prepared by <see cref="AuditRecordFormat.SerializeEventMembers"/>.</summary>
    internal AuditRecord AppendEvent(byte[] eventMembers, AuditEvent auditEvent)
    {
        long seq = checked(LastSeq + 1);
        byte[] line = AuditRecordFormat.BuildEventLine(seq, eventMembers, LastHash, out string hash);
        AuditEvent stored = auditEvent with { Timestamp = AuditRecordFormat.NormalizeTimestamp(auditEvent.Timestamp), Context = auditEvent.Context ?? AuditContext.Empty };
        var record = new AuditRecord(seq, stored, null, LastHash, hash, line);
        LastSeq = seq;
        LastHash = hash;
        RecordsSinceCheckpoint++;
        return record;
    }

    /// <summary>Builds the next event record without keeping a copy of the event (the file sink's hot path).</summary>
    internal byte[] AppendEventLine(byte[] eventMembers, out long seq)
    {
        seq = checked(LastSeq + 1);
        byte[] line = AuditRecordFormat.BuildEventLine(seq, eventMembers, LastHash, out string hash);
        LastSeq = seq;
        LastHash = hash;
        RecordsSinceCheckpoint++;
        return line;
    }
}
