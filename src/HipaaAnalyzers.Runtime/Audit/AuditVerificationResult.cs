using System;
using System.Collections.Generic;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>Why an audit log failed verification.</summary>
public enum AuditVerificationFailureKind
{
    /// <summary>A record's content does not match its hash, is not in canonical form, or does not match the hash the next record (or a trusted checkpoint) holds for it.</summary>
    Edited = 1,

    /// <summary>Records are missing: the seq jumps forward and the missing records do not appear later.</summary>
    Deleted = 2,

    /// <summary>Records are out of order or duplicated: the seq goes backwards, or a missing record appears later.</summary>
    Reordered = 3,

    /// <summary>The log ends before a record that a checkpoint kept elsewhere (the anchor, or one passed in) covers.</summary>
    Truncated = 4,

    /// <summary>A checkpoint's signature does not verify, or no verification key has its key id.</summary>
    SignatureInvalid = 5,

    /// <summary>The last line is incomplete (no line end) or unreadable: a write was interrupted, or bytes were appended.</summary>
    Torn = 6,

    /// <summary>A line that is not a record: not JSON, a missing or unknown member, a bad value, too long.</summary>
    Malformed = 7,
}

/// <summary>The first broken record of an audit log.</summary>
public sealed class AuditVerificationFailure
{
    internal AuditVerificationFailure(AuditVerificationFailureKind kind, long seq, long lineNumber, string message)
    {
        Kind = kind;
        Seq = seq;
        LineNumber = lineNumber;
        Message = message;
    }

    /// <summary>Gets what is wrong.</summary>
    public AuditVerificationFailureKind Kind { get; }

    /// <summary>Gets the seq of the first broken record (for a missing or unreadable record, the seq it should have had).</summary>
    public long Seq { get; }

    /// <summary>Gets the 1-based line (or row) number where the problem was found; for <see cref="AuditVerificationFailureKind.Truncated"/>, one past the last line.</summary>
    public long LineNumber { get; }

    /// <summary>Gets an explanation that names records and members, never their values.</summary>
    public string Message { get; }

    /// <summary>Returns <c>Kind at seq N (line L): message</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant($"{Kind} at seq {Seq} (line {LineNumber}): {Message}");
}

/// <summary>The outcome of <see cref="AuditChainVerifier"/>: valid, with counts and the last checkpoint, or the first failure.</summary>
public sealed class AuditVerificationResult
{
    internal AuditVerificationResult(AuditVerificationFailure? failure, long recordCount, long eventCount, long checkpointCount, long lastSeq, string lastHash, AuditRecord? lastCheckpoint, long recordsAfterLastCheckpoint)
    {
        Failure = failure;
        RecordCount = recordCount;
        EventCount = eventCount;
        CheckpointCount = checkpointCount;
        LastSeq = lastSeq;
        LastHash = lastHash;
        LastCheckpoint = lastCheckpoint;
        RecordsAfterLastCheckpoint = recordsAfterLastCheckpoint;
    }

    /// <summary>Gets a value indicating whether every record verified.</summary>
    public bool IsValid => Failure is null;

    /// <summary>Gets the first failure, or <see langword="null"/> when the log is valid.</summary>
    public AuditVerificationFailure? Failure { get; }

    /// <summary>Gets the number of records that verified (before the failure, if any).</summary>
    public long RecordCount { get; }

    /// <summary>Gets how many of them are events.</summary>
    public long EventCount { get; }

    /// <summary>Gets how many of them are checkpoints.</summary>
    public long CheckpointCount { get; }

    /// <summary>Gets the seq of the last record that verified (the start seq when none did).</summary>
    public long LastSeq { get; }

    /// <summary>Gets the hash of the last record that verified.</summary>
    public string LastHash { get; }

    /// <summary>Gets the last checkpoint record that verified, or <see langword="null"/>.</summary>
    public AuditRecord? LastCheckpoint { get; }

    /// <summary>
    /// Gets the number of verified records after the last checkpoint. They are chained but not yet signed: removing them
    /// from the end of the log is only detectable against a checkpoint kept elsewhere.
    /// </summary>
    public long RecordsAfterLastCheckpoint { get; }

    /// <summary>Returns a one-line report.</summary>
    /// <returns>The report.</returns>
    public override string ToString()
    {
        string checkpoint = LastCheckpoint?.Checkpoint is { } cp
            ? CryptoHelpers.FormatInvariant($"last checkpoint at seq {LastCheckpoint.Seq} ({cp})")
            : "no checkpoint";
        string counts = CryptoHelpers.FormatInvariant($"{RecordCount} records ({EventCount} events, {CheckpointCount} checkpoints), last seq {LastSeq}, {checkpoint}, {RecordsAfterLastCheckpoint} records after it");
        return Failure is null ? "OK: " + counts : "FAILED: " + Failure + ". Verified before it: " + counts;
    }
}

/// <summary>What <see cref="AuditChainVerifier"/> checks against.</summary>
public sealed class AuditVerificationOptions
{
    /// <summary>Gets or sets the public keys that may have signed checkpoints. A checkpoint whose key id is not among them fails as <see cref="AuditVerificationFailureKind.SignatureInvalid"/>.</summary>
    public IEnumerable<AuditVerificationKey> VerificationKeys { get; set; } = Array.Empty<AuditVerificationKey>();

    /// <summary>
    /// Gets or sets checkpoint records kept outside the log (forwarded to another system, or the sink's anchor file).
    /// Each must verify, and the log must contain the very record each one is (same seq and hash): a log that ends
    /// before one of them is <see cref="AuditVerificationFailureKind.Truncated"/>.
    /// </summary>
    public IEnumerable<AuditRecord> TrustedCheckpoints { get; set; } = Array.Empty<AuditRecord>();

    /// <summary>
    /// Gets or sets a checkpoint anchor file (see <see cref="FileAuditSinkOptions.CheckpointAnchorPath"/>) whose
    /// checkpoints are trusted like <see cref="TrustedCheckpoints"/>. Read by <see cref="AuditChainVerifier.VerifyFile"/> only.
    /// </summary>
    public string? CheckpointAnchorPath { get; set; }

    /// <summary>Gets or sets the seq of the record before the first one verified (0, the default, for a whole chain).</summary>
    public long PreviousSeq { get; set; }

    /// <summary>Gets or sets the hash of the record before the first one verified (default <see cref="AuditChain.GenesisHash"/>).</summary>
    public string PreviousHash { get; set; } = AuditChain.GenesisHash;

    /// <summary>
    /// Gets or sets how many lines ahead the verifier looks for a missing seq before calling it
    /// <see cref="AuditVerificationFailureKind.Deleted"/> rather than <see cref="AuditVerificationFailureKind.Reordered"/>. Default 1024.
    /// </summary>
    public int ReorderLookahead { get; set; } = 1024;
}
