using System;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>The two kinds of audit record.</summary>
public enum AuditRecordKind
{
    /// <summary>An <see cref="AuditEvent"/>.</summary>
    Event = 1,

    /// <summary>A signed <see cref="AuditCheckpoint"/> over the chain up to the record before it.</summary>
    Checkpoint = 2,
}

/// <summary>
/// One line of an audit log: an event or a checkpoint, with its place in the hash chain (<see cref="Seq"/>,
/// <see cref="Prev"/>, <see cref="Hash"/>) and its canonical bytes. Made by <see cref="AuditChainWriter"/> or read by
/// <see cref="TryParse(ReadOnlySpan{byte}, out AuditRecord?, out string?)"/>; immutable.
/// </summary>
/// <remarks>
/// A record holds what happened, who did it and which resource it touched; it has no member for the resource's content,
/// so an audit log never becomes a copy of the PHI it protects. The canonical form is described byte for byte in
/// <c>docs/runtime/audit.md</c>.
/// </remarks>
public sealed class AuditRecord
{
    private readonly byte[]? _utf8Line;
    private string? _line;

    internal AuditRecord(long seq, AuditEvent? auditEvent, AuditCheckpoint? checkpoint, string prev, string hash, byte[]? utf8Line)
    {
        Seq = seq;
        Event = auditEvent;
        Checkpoint = checkpoint;
        Prev = prev;
        Hash = hash;
        _utf8Line = utf8Line;
    }

    /// <summary>Gets the record number: 1 for the first record of a chain, then one more for each record, checkpoints included.</summary>
    public long Seq { get; }

    /// <summary>Gets whether this is an event or a checkpoint.</summary>
    public AuditRecordKind Kind => Event is null ? AuditRecordKind.Checkpoint : AuditRecordKind.Event;

    /// <summary>Gets the event (timestamp in UTC, to the millisecond), or <see langword="null"/> for a checkpoint.</summary>
    public AuditEvent? Event { get; }

    /// <summary>Gets the checkpoint, or <see langword="null"/> for an event.</summary>
    public AuditCheckpoint? Checkpoint { get; }

    /// <summary>Gets the hash of the previous record (<see cref="AuditChain.GenesisHash"/> for the first).</summary>
    public string Prev { get; }

    /// <summary>Gets the SHA-256 of this record's canonical bytes, lowercase hexadecimal.</summary>
    public string Hash { get; }

    /// <summary>Gets the canonical line as UTF-8, without a line end. Write it followed by <c>\n</c>.</summary>
    public ReadOnlyMemory<byte> Utf8Line => _utf8Line;

    /// <summary>Gets the canonical line as text, without a line end.</summary>
    public string Line => _line ??= Encoding.UTF8.GetString(_utf8Line!);

    /// <summary>
    /// Reads a record line (UTF-8, without its line end). Succeeds only for a record in canonical form whose
    /// <c>hash</c> matches its content; it does not check the record's place in a chain (see
    /// <see cref="AuditChainVerifier"/>). Never throws on bad input.
    /// </summary>
    /// <param name="utf8Line">The line.</param>
    /// <param name="record">The record, when the line is one.</param>
    /// <param name="error">Why the line is not a record (names members, never values), when it is not.</param>
    /// <returns><see langword="true"/> when the line is a valid record.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Line, [NotNullWhen(true)] out AuditRecord? record, [NotNullWhen(false)] out string? error)
    {
        AuditParseStatus status = AuditRecordFormat.Parse(utf8Line, out AuditRecord? parsed, out string message);
        if (status == AuditParseStatus.Ok)
        {
            record = parsed!;
            error = null;
            return true;
        }

        record = null;
        error = message;
        return false;
    }

    /// <summary>Reads a record line given as text (without its line end); see <see cref="TryParse(ReadOnlySpan{byte}, out AuditRecord?, out string?)"/>.</summary>
    /// <param name="line">The line.</param>
    /// <param name="record">The record, when the line is one.</param>
    /// <param name="error">Why the line is not a record, when it is not.</param>
    /// <returns><see langword="true"/> when the line is a valid record.</returns>
    public static bool TryParse(string? line, [NotNullWhen(true)] out AuditRecord? record, [NotNullWhen(false)] out string? error)
    {
        if (line is null || !TryGetUtf8(line, out byte[]? bytes))
        {
            record = null;
            error = line is null ? "the line is null" : "the line is not valid UTF-16 text";
            return false;
        }

        return TryParse(bytes, out record, out error);
    }

    /// <summary>Returns the record number and kind; never the event's content.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant($"AuditRecord seq {Seq} ({(Kind == AuditRecordKind.Event ? "event" : "checkpoint")}, hash {Hash})");

    internal AuditRecord WithLine(byte[] utf8Line) => new(Seq, Event, Checkpoint, Prev, Hash, utf8Line);

    internal static bool TryGetUtf8(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        try
        {
            bytes = CryptoHelpers.StrictUtf8.GetBytes(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            bytes = null;
            return false;
        }
    }
}

/// <summary>
/// A signed statement that the chain up to record <see cref="LastSeq"/>, whose hash is <see cref="LastHash"/>, existed
/// at <see cref="Timestamp"/>. Signed with ECDSA P-256 and SHA-256 by the key <see cref="KeyId"/> (see
/// <see cref="AuditSigningKey"/>); anyone with the public key can check it.
/// </summary>
public sealed class AuditCheckpoint
{
    private readonly byte[] _signature;

    internal AuditCheckpoint(long lastSeq, string lastHash, DateTimeOffset timestamp, string keyId, byte[] signature)
    {
        LastSeq = lastSeq;
        LastHash = lastHash;
        Timestamp = timestamp;
        KeyId = keyId;
        _signature = signature;
    }

    /// <summary>Gets the seq of the last record the checkpoint covers (the record right before the checkpoint).</summary>
    public long LastSeq { get; }

    /// <summary>Gets the hash of that record (the checkpoint record's <c>prev</c>).</summary>
    public string LastHash { get; }

    /// <summary>Gets when the checkpoint was signed, in UTC, to the millisecond.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the id of the signing key.</summary>
    public string KeyId { get; }

    /// <summary>Gets the signature: IEEE P1363 format (r then s, 32 bytes each).</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>
    /// Returns the bytes the signature covers: the UTF-8 text
    /// <c>hipaa-audit-checkpoint/v1\n{last_seq}\n{last_hash}\n{timestamp}\n{key_id}</c>.
    /// </summary>
    /// <param name="lastSeq">The seq of the last covered record.</param>
    /// <param name="lastHash">Its hash.</param>
    /// <param name="timestamp">The checkpoint time (written in UTC to the millisecond).</param>
    /// <param name="keyId">The signing key id.</param>
    /// <returns>The bytes to sign or verify.</returns>
    public static byte[] GetSignedBytes(long lastSeq, string lastHash, DateTimeOffset timestamp, string keyId)
    {
        ArgumentNullException.ThrowIfNull(lastHash);
        ArgumentNullException.ThrowIfNull(keyId);
        return AuditRecordFormat.CheckpointSignedBytes(lastSeq, lastHash, timestamp, keyId);
    }

    /// <summary>Checks the signature with a public key. Returns <see langword="false"/> when the key id differs.</summary>
    /// <param name="key">The verification key.</param>
    /// <returns><see langword="true"/> when <paramref name="key"/> has this checkpoint's key id and the signature is valid.</returns>
    public bool VerifySignature(AuditVerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Equals(key.KeyId, KeyId, StringComparison.Ordinal) &&
            key.Verify(GetSignedBytes(LastSeq, LastHash, Timestamp, KeyId), _signature);
    }

    /// <summary>Returns the covered seq, time and key id.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        CryptoHelpers.FormatInvariant($"checkpoint over seq {LastSeq} at {AuditRecordFormat.FormatTimestamp(Timestamp)} signed by '{KeyId}'");
}
