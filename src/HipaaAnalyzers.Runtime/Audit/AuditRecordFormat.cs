using System;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>What <see cref="AuditRecordFormat.Parse"/> found.</summary>
internal enum AuditParseStatus
{
    /// <summary>A canonical record whose hash matches.</summary>
    Ok,

    /// <summary>Not a record: not JSON, a missing or mistyped member, an unknown member, a bad value.</summary>
    Malformed,

    /// <summary>A readable record that is not byte for byte what the writer produces for its values.</summary>
    NotCanonical,

    /// <summary>A canonical record whose <c>hash</c> is not the hash of its content.</summary>
    HashMismatch,
}

/// <summary>
/// The canonical JSON lines form of audit records. Writing is hand-rolled so that every byte is defined (member order,
/// escaping, number and time formats); reading is strict and checks that a line is exactly what writing its values
/// gives. Messages name members, never values.
/// </summary>
internal static class AuditRecordFormat
{
    public const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
    public const string CheckpointType = "checkpoint";
    public const int SignatureLength = 64;

    private static readonly byte[] HexDigits = "0123456789abcdef"u8.ToArray();

    /// <summary>
    /// Serializes the event members (from <c>"timestamp"</c> to <c>"reason"</c>, without braces or the chain members)
    /// and validates the event on the way, so a writer can prepare it outside its lock.
    /// </summary>
    /// <exception cref="ArgumentException">The event cannot be recorded; the message names the member, never its value.</exception>
    public static byte[] SerializeEventMembers(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.User is null)
        {
            throw new ArgumentException("AuditEvent.User is null; use a user id, or 'anonymous'.", nameof(auditEvent));
        }

        if (auditEvent.Resource is null)
        {
            throw new ArgumentException("AuditEvent.Resource is null; name the resource that was accessed.", nameof(auditEvent));
        }

        string action = ActionText(auditEvent.Action)
            ?? throw new ArgumentException("AuditEvent.Action is not a defined AuditAction value.", nameof(auditEvent));
        string outcome = OutcomeText(auditEvent.Outcome)
            ?? throw new ArgumentException("AuditEvent.Outcome is not a defined AuditOutcome value.", nameof(auditEvent));
        AuditContext context = auditEvent.Context ?? AuditContext.Empty;

        var writer = new ArrayBufferWriter<byte>(256);
        Write(writer, "\"timestamp\":\""u8);
        WriteTimestamp(writer, auditEvent.Timestamp);
        Write(writer, "\",\"user\":"u8);
        WriteString(writer, auditEvent.User, "User");
        Write(writer, ",\"action\":\""u8);
        WriteAscii(writer, action);
        Write(writer, "\",\"resource\":"u8);
        WriteString(writer, auditEvent.Resource, "Resource");
        Write(writer, ",\"context\":{"u8);
        bool any = false;
        WriteOptionalMember(writer, "\"ip\":"u8, context.Ip, "Context.Ip", ref any);
        WriteOptionalMember(writer, "\"device_id\":"u8, context.DeviceId, "Context.DeviceId", ref any);
        WriteOptionalMember(writer, "\"location\":"u8, context.Location, "Context.Location", ref any);
        Write(writer, "},\"outcome\":\""u8);
        WriteAscii(writer, outcome);
        Write(writer, "\""u8);
        if (auditEvent.Reason is not null)
        {
            Write(writer, ",\"reason\":"u8);
            WriteString(writer, auditEvent.Reason, "Reason");
        }

        // Room for {"seq":<19 digits>, ... ,"prev":"<64>","hash":"<64>"}.
        if (writer.WrittenCount > AuditChain.MaximumLineLength - 200)
        {
            throw new ArgumentException(
                CryptoHelpers.FormatInvariant($"The audit event serializes to {writer.WrittenCount} bytes; a record line holds at most {AuditChain.MaximumLineLength} bytes. Audit events name resources; they never carry data."),
                nameof(auditEvent));
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Builds a complete event line (no line end) from prepared members; returns the line and its hash.</summary>
    public static byte[] BuildEventLine(long seq, ReadOnlySpan<byte> eventMembers, string prev, out string hash)
    {
        var writer = new ArrayBufferWriter<byte>(eventMembers.Length + 200);
        Write(writer, "{\"seq\":"u8);
        WriteInt64(writer, seq);
        Write(writer, ","u8);
        Write(writer, eventMembers);
        return FinishLine(writer, prev, out hash);
    }

    /// <summary>Builds a complete checkpoint line (no line end); returns the line and its hash.</summary>
    public static byte[] BuildCheckpointLine(long seq, DateTimeOffset timestamp, long lastSeq, string keyId, ReadOnlySpan<byte> signature, string prev, out string hash)
    {
        var writer = new ArrayBufferWriter<byte>(400);
        Write(writer, "{\"seq\":"u8);
        WriteInt64(writer, seq);
        Write(writer, ",\"type\":\"checkpoint\",\"timestamp\":\""u8);
        WriteTimestamp(writer, timestamp);
        Write(writer, "\",\"last_seq\":"u8);
        WriteInt64(writer, lastSeq);
        Write(writer, ",\"key_id\":\""u8);
        WriteAscii(writer, keyId);
        Write(writer, "\",\"signature\":\""u8);
        WriteAscii(writer, Convert.ToBase64String(signature));
        Write(writer, "\""u8);
        return FinishLine(writer, prev, out hash);
    }

    /// <summary>
    /// The bytes a checkpoint signature covers: the UTF-8 text
    /// <c>hipaa-audit-checkpoint/v1\n{last_seq}\n{last_hash}\n{timestamp}\n{key_id}</c>.
    /// </summary>
    public static byte[] CheckpointSignedBytes(long lastSeq, string lastHash, DateTimeOffset timestamp, string keyId) =>
        Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"hipaa-audit-checkpoint/v1\n{lastSeq}\n{lastHash}\n{FormatTimestamp(timestamp)}\n{keyId}"));

    /// <summary>UTC, truncated to the millisecond.</summary>
    public static DateTimeOffset NormalizeTimestamp(DateTimeOffset timestamp)
    {
        long ticks = timestamp.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        NormalizeTimestamp(timestamp).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static string? ActionText(AuditAction action) => action switch
    {
        AuditAction.Viewed => "viewed",
        AuditAction.Created => "created",
        AuditAction.Modified => "modified",
        AuditAction.Deleted => "deleted",
        AuditAction.Exported => "exported",
        _ => null,
    };

    public static string? OutcomeText(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => "success",
        AuditOutcome.Denied => "denied",
        AuditOutcome.Failure => "failure",
        _ => null,
    };

    /// <summary>
    /// Reads one line (no line end). Never throws: anything that is not a canonical record with a matching hash gets a
    /// status other than <see cref="AuditParseStatus.Ok"/> and a message that names members only. The record is
    /// returned for <see cref="AuditParseStatus.Ok"/>, <see cref="AuditParseStatus.NotCanonical"/> and
    /// <see cref="AuditParseStatus.HashMismatch"/>.
    /// </summary>
    public static AuditParseStatus Parse(ReadOnlySpan<byte> line, out AuditRecord? record, out string message)
    {
        record = null;
        if (line.Length > AuditChain.MaximumLineLength)
        {
            message = CryptoHelpers.FormatInvariant($"the line is longer than {AuditChain.MaximumLineLength} bytes");
            return AuditParseStatus.Malformed;
        }

        RawRecord raw;
        try
        {
            if (!TryRead(line, out raw, out message))
            {
                return AuditParseStatus.Malformed;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or ArgumentException or DecoderFallbackException or OverflowException)
        {
            message = "the line is not valid JSON (or not valid UTF-8)";
            return AuditParseStatus.Malformed;
        }

        byte[] rebuilt;
        string computed;
        if (raw.IsCheckpoint)
        {
            if (raw.LastSeq != raw.Seq - 1)
            {
                message = "'last_seq' is not the seq of the record before the checkpoint";
                return AuditParseStatus.Malformed;
            }

            rebuilt = BuildCheckpointLine(raw.Seq, raw.Timestamp, raw.LastSeq, raw.KeyId!, raw.Signature, raw.Prev!, out computed);
            record = new AuditRecord(raw.Seq, null, new AuditCheckpoint(raw.LastSeq, raw.Prev!, raw.Timestamp, raw.KeyId!, raw.Signature!), raw.Prev!, raw.Hash!, null);
        }
        else
        {
            var auditEvent = new AuditEvent
            {
                Timestamp = raw.Timestamp,
                User = raw.User!,
                Action = raw.Action,
                Resource = raw.Resource!,
                Context = raw.Ip is null && raw.DeviceId is null && raw.Location is null ? AuditContext.Empty : new AuditContext(raw.Ip, raw.DeviceId, raw.Location),
                Outcome = raw.Outcome,
                Reason = raw.Reason,
            };
            byte[] members;
            try
            {
                members = SerializeEventMembers(auditEvent);
            }
            catch (ArgumentException)
            {
                message = "the record holds a value a writer would refuse (for example an unpaired surrogate)";
                return AuditParseStatus.Malformed;
            }

            rebuilt = BuildEventLine(raw.Seq, members, raw.Prev!, out computed);
            record = new AuditRecord(raw.Seq, auditEvent, null, raw.Prev!, raw.Hash!, null);
        }

        // The rebuilt line carries the computed hash; compare everything before it, then the hash.
        int hashStart = rebuilt.Length - AuditChain.HashLength - 2;
        if (line.Length != rebuilt.Length || !line.Slice(0, hashStart).SequenceEqual(rebuilt.AsSpan(0, hashStart)) || !line.Slice(line.Length - 2).SequenceEqual("\"}"u8))
        {
            message = "the record is not in canonical form (member order, spacing, escaping or number format differ from what the writer produces)";
            return AuditParseStatus.NotCanonical;
        }

        if (!string.Equals(computed, raw.Hash, StringComparison.Ordinal))
        {
            message = "'hash' is not the SHA-256 of the record's content";
            return AuditParseStatus.HashMismatch;
        }

        record = record.WithLine(rebuilt);
        message = string.Empty;
        return AuditParseStatus.Ok;
    }

    private static byte[] FinishLine(ArrayBufferWriter<byte> writer, string prev, out string hash)
    {
        Write(writer, ",\"prev\":\""u8);
        WriteAscii(writer, prev);
        Write(writer, "\"}"u8);
        hash = AuditChain.ComputeHash(writer.WrittenSpan);
        var line = new byte[writer.WrittenCount + 10 + AuditChain.HashLength];
        writer.WrittenSpan.Slice(0, writer.WrittenCount - 1).CopyTo(line);
        int at = writer.WrittenCount - 1;
        ",\"hash\":\""u8.CopyTo(line.AsSpan(at));
        at += 9;
        Encoding.ASCII.GetBytes(hash, line.AsSpan(at));
        at += AuditChain.HashLength;
        "\"}"u8.CopyTo(line.AsSpan(at));
        return line;
    }

    private static void Write(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> bytes) => writer.Write(bytes);

    private static void WriteAscii(ArrayBufferWriter<byte> writer, string text)
    {
        Span<byte> span = writer.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        writer.Advance(text.Length);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> writer, long value)
    {
        Span<byte> span = writer.GetSpan(20);
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        writer.Advance(written);
    }

    private static void WriteTimestamp(ArrayBufferWriter<byte> writer, DateTimeOffset timestamp) =>
        WriteAscii(writer, FormatTimestamp(timestamp));

    private static void WriteOptionalMember(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> name, string? value, string member, ref bool any)
    {
        if (value is null)
        {
            return;
        }

        if (any)
        {
            Write(writer, ","u8);
        }

        Write(writer, name);
        WriteString(writer, value, member);
        any = true;
    }

    /// <summary>
    /// A JSON string: <c>"</c> and <c>\</c> escaped with a backslash; U+0008, U+0009, U+000A, U+000C, U+000D as
    /// <c>\b \t \n \f \r</c>; other characters below U+0020 as <c>\u00xx</c> (lowercase hex); everything else as UTF-8.
    /// </summary>
    private static void WriteString(ArrayBufferWriter<byte> writer, string value, string member)
    {
        int byteCount;
        try
        {
            byteCount = CryptoHelpers.StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException(CryptoHelpers.FormatInvariant($"AuditEvent.{member} contains an unpaired surrogate and cannot be written as UTF-8."), "auditEvent");
        }

        if (byteCount > AuditChain.MaximumLineLength)
        {
            throw new ArgumentException(CryptoHelpers.FormatInvariant($"AuditEvent.{member} is longer than a record line may be ({AuditChain.MaximumLineLength} bytes)."), "auditEvent");
        }

        Write(writer, "\""u8);
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }

            WriteUtf8(writer, value.AsSpan(start, i - start));
            start = i + 1;
            switch (c)
            {
                case '"': Write(writer, "\\\""u8); break;
                case '\\': Write(writer, "\\\\"u8); break;
                case '\b': Write(writer, "\\b"u8); break;
                case '\t': Write(writer, "\\t"u8); break;
                case '\n': Write(writer, "\\n"u8); break;
                case '\f': Write(writer, "\\f"u8); break;
                case '\r': Write(writer, "\\r"u8); break;
                default:
                    Span<byte> escape = writer.GetSpan(6);
                    "\\u00"u8.CopyTo(escape);
                    escape[4] = HexDigits[c >> 4];
                    escape[5] = HexDigits[c & 0xF];
                    writer.Advance(6);
                    break;
            }
        }

        WriteUtf8(writer, value.AsSpan(start));
        Write(writer, "\""u8);
    }

    private static void WriteUtf8(ArrayBufferWriter<byte> writer, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        Span<byte> span = writer.GetSpan(CryptoHelpers.StrictUtf8.GetMaxByteCount(text.Length));
        writer.Advance(CryptoHelpers.StrictUtf8.GetBytes(text, span));
    }

    private struct RawRecord
    {
        public long Seq;
        public bool IsCheckpoint;
        public DateTimeOffset Timestamp;
        public string? User;
        public AuditAction Action;
        public string? Resource;
        public string? Ip;
        public string? DeviceId;
        public string? Location;
        public AuditOutcome Outcome;
        public string? Reason;
        public long LastSeq;
        public string? KeyId;
        public byte[]? Signature;
        public string? Prev;
        public string? Hash;
    }

    [Flags]
    private enum Seen
    {
        None = 0,
        Seq = 1 << 0,
        Type = 1 << 1,
        Timestamp = 1 << 2,
        User = 1 << 3,
        Action = 1 << 4,
        Resource = 1 << 5,
        Context = 1 << 6,
        Outcome = 1 << 7,
        Reason = 1 << 8,
        LastSeq = 1 << 9,
        KeyId = 1 << 10,
        Signature = 1 << 11,
        Prev = 1 << 12,
        Hash = 1 << 13,
    }

    private const Seen EventRequired = Seen.Seq | Seen.Timestamp | Seen.User | Seen.Action | Seen.Resource | Seen.Context | Seen.Outcome | Seen.Prev | Seen.Hash;
    private const Seen EventAllowed = EventRequired | Seen.Reason;
    private const Seen CheckpointRequired = Seen.Seq | Seen.Type | Seen.Timestamp | Seen.LastSeq | Seen.KeyId | Seen.Signature | Seen.Prev | Seen.Hash;

    private static bool TryRead(ReadOnlySpan<byte> line, out RawRecord raw, out string message)
    {
        raw = default;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            message = "the line is not a JSON object";
            return false;
        }

        Seen seen = Seen.None;
        while (true)
        {
            if (!reader.Read())
            {
                message = "the JSON object is not closed";
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                message = "the line is not a JSON object of members";
                return false;
            }

            Seen member = MemberOf(ref reader);
            if (member == Seen.None)
            {
                message = "the record has an unknown member";
                return false;
            }

            if ((seen & member) != 0)
            {
                message = "the record has a member twice";
                return false;
            }

            seen |= member;
            if (!reader.Read())
            {
                message = "a member has no value";
                return false;
            }

            if (!ReadValue(ref reader, member, ref raw, out message))
            {
                return false;
            }
        }

        if (reader.Read())
        {
            message = "the line has content after the JSON object";
            return false;
        }

        raw.IsCheckpoint = (seen & Seen.Type) != 0;
        if (raw.IsCheckpoint)
        {
            if (seen != CheckpointRequired)
            {
                message = "a checkpoint record must have exactly seq, type, timestamp, last_seq, key_id, signature, prev and hash";
                return false;
            }
        }
        else if ((seen & EventRequired) != EventRequired || (seen & ~EventAllowed) != 0)
        {
            message = "an event record must have seq, timestamp, user, action, resource, context, outcome, prev and hash (and may have reason), nothing else";
            return false;
        }

        message = string.Empty;
        return true;
    }

    private static Seen MemberOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("seq"u8)) return Seen.Seq;
        if (reader.ValueTextEquals("type"u8)) return Seen.Type;
        if (reader.ValueTextEquals("timestamp"u8)) return Seen.Timestamp;
        if (reader.ValueTextEquals("user"u8)) return Seen.User;
        if (reader.ValueTextEquals("action"u8)) return Seen.Action;
        if (reader.ValueTextEquals("resource"u8)) return Seen.Resource;
        if (reader.ValueTextEquals("context"u8)) return Seen.Context;
        if (reader.ValueTextEquals("outcome"u8)) return Seen.Outcome;
        if (reader.ValueTextEquals("reason"u8)) return Seen.Reason;
        if (reader.ValueTextEquals("last_seq"u8)) return Seen.LastSeq;
        if (reader.ValueTextEquals("key_id"u8)) return Seen.KeyId;
        if (reader.ValueTextEquals("signature"u8)) return Seen.Signature;
        if (reader.ValueTextEquals("prev"u8)) return Seen.Prev;
        if (reader.ValueTextEquals("hash"u8)) return Seen.Hash;
        return Seen.None;
    }

    private static bool ReadValue(ref Utf8JsonReader reader, Seen member, ref RawRecord raw, out string message)
    {
        message = string.Empty;
        switch (member)
        {
            case Seen.Seq:
            case Seen.LastSeq:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long number) || number < (member == Seen.Seq ? 1 : 0))
                {
                    message = member == Seen.Seq ? "'seq' is not a positive integer" : "'last_seq' is not a non-negative integer";
                    return false;
                }

                if (member == Seen.Seq)
                {
                    raw.Seq = number;
                }
                else
                {
                    raw.LastSeq = number;
                }

                return true;

            case Seen.Context:
                return ReadContext(ref reader, ref raw, out message);
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            message = "'" + NameOf(member) + "' is not a string";
            return false;
        }

        string text = reader.GetString()!;
        switch (member)
        {
            case Seen.Type:
                if (text != CheckpointType)
                {
                    message = "'type' is not 'checkpoint'";
                    return false;
                }

                return true;

            case Seen.Timestamp:
                if (!DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time))
                {
                    message = "'timestamp' is not of the form yyyy-MM-ddTHH:mm:ss.fffZ";
                    return false;
                }

                raw.Timestamp = new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
                return true;

            case Seen.User: raw.User = text; return true;
            case Seen.Resource: raw.Resource = text; return true;
            case Seen.Reason: raw.Reason = text; return true;

            case Seen.Action:
                if (!TryParseAction(text, out raw.Action))
                {
                    message = "'action' is not one of viewed, created, modified, deleted, exported";
                    return false;
                }

                return true;

            case Seen.Outcome:
                if (!TryParseOutcome(text, out raw.Outcome))
                {
                    message = "'outcome' is not one of success, denied, failure";
                    return false;
                }

                return true;

            case Seen.KeyId:
                if (!DataKey.IsValidKeyId(text))
                {
                    message = "'key_id' is not a valid key id";
                    return false;
                }

                raw.KeyId = text;
                return true;

            case Seen.Signature:
                byte[] signature = new byte[SignatureLength];
                if (!Convert.TryFromBase64String(text, signature, out int length) || length != SignatureLength)
                {
                    message = "'signature' is not the base64 of a 64-byte ECDSA P-256 signature";
                    return false;
                }

                raw.Signature = signature;
                return true;

            case Seen.Prev:
            case Seen.Hash:
                if (!AuditChain.IsWellFormedHash(text))
                {
                    message = "'" + NameOf(member) + "' is not 64 lowercase hexadecimal characters";
                    return false;
                }

                if (member == Seen.Prev)
                {
                    raw.Prev = text;
                }
                else
                {
                    raw.Hash = text;
                }

                return true;

            default:
                message = "the record has an unknown member";
                return false;
        }
    }

    private static bool ReadContext(ref Utf8JsonReader reader, ref RawRecord raw, out string message)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            message = "'context' is not an object";
            return false;
        }

        int seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            int bit = reader.ValueTextEquals("ip"u8) ? 1 : reader.ValueTextEquals("device_id"u8) ? 2 : reader.ValueTextEquals("location"u8) ? 4 : 0;
            if (reader.TokenType != JsonTokenType.PropertyName || bit == 0 || (seen & bit) != 0)
            {
                message = "'context' may hold ip, device_id and location, once each";
                return false;
            }

            seen |= bit;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                message = "a member of 'context' is not a string";
                return false;
            }

            string value = reader.GetString()!;
            switch (bit)
            {
                case 1: raw.Ip = value; break;
                case 2: raw.DeviceId = value; break;
                default: raw.Location = value; break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            message = "'context' is not closed";
            return false;
        }

        message = string.Empty;
        return true;
    }

    private static bool TryParseAction(string text, out AuditAction action)
    {
        foreach (AuditAction candidate in new[] { AuditAction.Viewed, AuditAction.Created, AuditAction.Modified, AuditAction.Deleted, AuditAction.Exported })
        {
            if (ActionText(candidate) == text)
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }

    private static bool TryParseOutcome(string text, out AuditOutcome outcome)
    {
        foreach (AuditOutcome candidate in new[] { AuditOutcome.Success, AuditOutcome.Denied, AuditOutcome.Failure })
        {
            if (OutcomeText(candidate) == text)
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }

    private static string NameOf(Seen member) => member switch
    {
        Seen.Seq => "seq",
        Seen.Type => "type",
        Seen.Timestamp => "timestamp",
        Seen.User => "user",
        Seen.Action => "action",
        Seen.Resource => "resource",
        Seen.Context => "context",
        Seen.Outcome => "outcome",
        Seen.Reason => "reason",
        Seen.LastSeq => "last_seq",
        Seen.KeyId => "key_id",
        Seen.Signature => "signature",
        Seen.Prev => "prev",
        Seen.Hash => "hash",
        _ => "?",
    };
}
