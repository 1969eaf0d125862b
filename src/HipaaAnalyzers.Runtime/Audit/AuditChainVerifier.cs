using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// Checks an audit log: every line is a canonical record whose hash matches, the seq counts up by one, every
/// <c>prev</c> is the hash of the record before, every checkpoint signature verifies with a known public key, and the
/// log reaches every checkpoint kept outside it. Reports the first broken record, or the counts and the last checkpoint.
/// </summary>
/// <remarks>
/// Never throws on bad log content (any bytes give a result); it throws only for bad arguments and for a file that
/// cannot be opened. Works on a file, a stream, or a sequence of lines (for example rows read from a database), and
/// from the command line through <see cref="Run"/>.
/// </remarks>
public static class AuditChainVerifier
{
    /// <summary>Verifies an audit log file (and the checkpoint anchor file, when <see cref="AuditVerificationOptions.CheckpointAnchorPath"/> is set).</summary>
    /// <param name="path">The log file.</param>
    /// <param name="options">Keys and trusted checkpoints; optional.</param>
    /// <returns>The result.</returns>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static AuditVerificationResult VerifyFile(string path, AuditVerificationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new AuditVerificationOptions();
        var trusted = new List<AuditRecord>(options.TrustedCheckpoints ?? Array.Empty<AuditRecord>());
        if (options.CheckpointAnchorPath is { Length: > 0 } anchorPath && File.Exists(anchorPath))
        {
            using FileStream anchor = OpenForReading(anchorPath);
            if (ReadAnchor(anchor, trusted) is { } anchorFailure)
            {
                return Result(anchorFailure, options);
            }
        }

        using FileStream stream = OpenForReading(path);
        return Verify(ReadLines(stream), options, trusted, detectTorn: true);
    }

    /// <summary>Verifies an audit log read from a stream (the raw bytes of a log file).</summary>
    /// <param name="stream">The stream, read to its end.</param>
    /// <param name="options">Keys and trusted checkpoints; optional. <see cref="AuditVerificationOptions.CheckpointAnchorPath"/> is not read.</param>
    /// <returns>The result.</returns>
    public static AuditVerificationResult Verify(Stream stream, AuditVerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new AuditVerificationOptions();
        return Verify(ReadLines(stream), options, new List<AuditRecord>(options.TrustedCheckpoints ?? Array.Empty<AuditRecord>()), detectTorn: true);
    }

    /// <summary>
    /// Verifies a sequence of record lines, each without its line end, in chain order: for example the stored lines of
    /// a database table ordered by seq. A line that is not a record is <see cref="AuditVerificationFailureKind.Malformed"/>
    /// (there is no torn last line in a table).
    /// </summary>
    /// <param name="lines">The lines.</param>
    /// <param name="options">Keys and trusted checkpoints; optional.</param>
    /// <returns>The result.</returns>
    public static AuditVerificationResult Verify(IEnumerable<string> lines, AuditVerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        options ??= new AuditVerificationOptions();
        return Verify(FromStrings(lines), options, new List<AuditRecord>(options.TrustedCheckpoints ?? Array.Empty<AuditRecord>()), detectTorn: false);
    }

    /// <summary>
    /// A command line entry: <c>&lt;log file&gt; --key &lt;public key PEM file&gt; [--key-id &lt;id&gt;] [--key ...]
    /// [--anchor &lt;anchor file&gt;] [--start-after &lt;seq&gt; &lt;hash&gt;]</c>. <c>--key-id</c> names the key before it
    /// (default: derived from the public key, as <see cref="AuditVerificationKey.ComputeKeyId(System.Security.Cryptography.ECDsa)"/>). Prints the result.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where to print.</param>
    /// <returns>0 when the log verifies, 1 when it does not, 2 for a usage or I/O error.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        string? log = null;
        var keys = new List<AuditVerificationKey>();
        const string Usage = "usage: <log file> --key <public key PEM> [--key-id <id>] [--key ...] [--anchor <checkpoint anchor file>] [--start-after <seq> <hash>]";
        var options = new AuditVerificationOptions();
        try
        {
            for (int i = 0; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--key" when i + 1 < args.Count:
                        string keyPath = args[++i];
                        string? keyId = null;
                        if (i + 2 < args.Count && args[i + 1] == "--key-id")
                        {
                            keyId = args[i + 2];
                            i += 2;
                        }

                        keys.Add(AuditVerificationKey.FromPemFile(keyPath, keyId));
                        break;
                    case "--anchor" when i + 1 < args.Count:
                        options.CheckpointAnchorPath = args[++i];
                        break;
                    case "--start-after" when i + 2 < args.Count:
                        options.PreviousSeq = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                        options.PreviousHash = args[++i];
                        break;
                    default:
                        if (log is not null || args[i].StartsWith("--", StringComparison.Ordinal))
                        {
                            output.WriteLine(Usage);
                            return 2;
                        }

                        log = args[i];
                        break;
                }
            }

            if (log is null)
            {
                output.WriteLine(Usage);
                return 2;
            }

            options.VerificationKeys = keys;
            AuditVerificationResult result = VerifyFile(log, options);
            output.WriteLine(result.ToString());
            return result.IsValid ? 0 : 1;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or PhiConfigurationException or FormatException or OverflowException or ArgumentException)
        {
            output.WriteLine("error: " + exception.Message);
            return 2;
        }
        finally
        {
            foreach (AuditVerificationKey key in keys)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>Reads checkpoint records from an anchor file; a torn last line is skipped. Never throws on bad content.</summary>
    /// <param name="path">The anchor file.</param>
    /// <param name="checkpoints">The checkpoints read.</param>
    /// <param name="error">Why the file is not a valid anchor, when it is not.</param>
    /// <returns><see langword="true"/> when every complete line is a checkpoint record.</returns>
    public static bool TryReadCheckpointAnchor(string path, out IReadOnlyList<AuditRecord> checkpoints, out string? error)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var list = new List<AuditRecord>();
        checkpoints = list;
        using FileStream stream = OpenForReading(path);
        AuditVerificationFailure? failure = ReadAnchor(stream, list);
        error = failure?.Message;
        return failure is null;
    }

    internal static IEnumerable<RawLine> ReadLines(Stream stream)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var current = new ArrayBufferWriter<byte>(1024);
            bool tooLong = false;
            long number = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                int start = 0;
                while (start < read)
                {
                    int newline = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                    int end = newline < 0 ? read : newline;
                    if (!tooLong)
                    {
                        if (current.WrittenCount + (end - start) > AuditChain.MaximumLineLength)
                        {
                            tooLong = true;
                        }
                        else
                        {
                            current.Write(buffer.AsSpan(start, end - start));
                        }
                    }

                    if (newline < 0)
                    {
                        break;
                    }

                    yield return new RawLine(tooLong ? null : current.WrittenSpan.ToArray(), ++number, Terminated: true);
                    current.ResetWrittenCount();
                    tooLong = false;
                    start = newline + 1;
                }
            }

            if (current.WrittenCount > 0 || tooLong)
            {
                yield return new RawLine(tooLong ? null : current.WrittenSpan.ToArray(), ++number, Terminated: false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IEnumerable<RawLine> FromStrings(IEnumerable<string> lines)
    {
        long number = 0;
        foreach (string line in lines)
        {
            number++;
            byte[]? bytes = null;
            if (line is not null && AuditRecord.TryGetUtf8(line, out byte[]? utf8) && utf8.Length <= AuditChain.MaximumLineLength)
            {
                bytes = utf8;
            }

            yield return new RawLine(bytes, number, Terminated: true);
        }
    }

    private static FileStream OpenForReading(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);

    private static AuditVerificationFailure? ReadAnchor(Stream stream, List<AuditRecord> into)
    {
        foreach (RawLine line in ReadLines(stream))
        {
            if (line.Bytes is not null && AuditRecord.TryParse(line.Bytes, out AuditRecord? record, out _) && record.Kind == AuditRecordKind.Checkpoint && line.Terminated)
            {
                into.Add(record);
            }
            else if (line.Terminated)
            {
                return new AuditVerificationFailure(AuditVerificationFailureKind.Malformed, 0, line.Number, CryptoHelpers.FormatInvariant($"line {line.Number} of the checkpoint anchor is not a checkpoint record"));
            }

            // An unterminated last line is a torn anchor write: the checkpoint it held is also in the log.
        }

        return null;
    }

    private static AuditVerificationResult Result(AuditVerificationFailure failure, AuditVerificationOptions options) =>
        new(failure, 0, 0, 0, options.PreviousSeq, options.PreviousHash ?? AuditChain.GenesisHash, null, 0);

    private static AuditVerificationResult Verify(IEnumerable<RawLine> lines, AuditVerificationOptions options, List<AuditRecord> trustedRecords, bool detectTorn)
    {
        if (options.PreviousSeq < 0 || !AuditChain.IsWellFormedHash(options.PreviousHash))
        {
            throw new ArgumentException("PreviousSeq must be 0 or more and PreviousHash 64 lowercase hexadecimal characters.", nameof(options));
        }

        var keys = new Dictionary<string, AuditVerificationKey>(StringComparer.Ordinal);
        foreach (AuditVerificationKey key in options.VerificationKeys ?? Array.Empty<AuditVerificationKey>())
        {
            keys.TryAdd(key.KeyId, key);
        }

        var state = new State(options.PreviousSeq, options.PreviousHash);

        // Checkpoints kept elsewhere: each must be genuine; then the log must contain each of them.
        var trusted = new Dictionary<long, string>();
        foreach (AuditRecord record in trustedRecords)
        {
            if (record.Checkpoint is not { } checkpoint)
            {
                return state.Fail(AuditVerificationFailureKind.Malformed, record.Seq, 0, CryptoHelpers.FormatInvariant($"the trusted record at seq {record.Seq} is not a checkpoint"));
            }

            if (!keys.TryGetValue(checkpoint.KeyId, out AuditVerificationKey? key) || !checkpoint.VerifySignature(key))
            {
                return state.Fail(AuditVerificationFailureKind.SignatureInvalid, record.Seq, 0, CryptoHelpers.FormatInvariant($"the trusted checkpoint at seq {record.Seq} does not verify with a known key (key id '{checkpoint.KeyId}')"));
            }

            if (trusted.TryGetValue(record.Seq, out string? other) && other != record.Hash)
            {
                return state.Fail(AuditVerificationFailureKind.Edited, record.Seq, 0, CryptoHelpers.FormatInvariant($"two trusted checkpoints claim seq {record.Seq} with different hashes: the chain was forked"));
            }

            trusted[record.Seq] = record.Hash;
        }

        int lookahead = Math.Max(1, options.ReorderLookahead);
        using var cursor = new Cursor(lines.GetEnumerator());
        while (cursor.TryNext(out RawLine line))
        {
            bool isLast = cursor.IsAtEnd();
            long expected = state.LastSeq + 1;
            AuditRecord? record = null;
            AuditParseStatus status;
            string message;
            if (line.Bytes is null)
            {
                status = AuditParseStatus.Malformed;
                message = CryptoHelpers.FormatInvariant($"the line is longer than {AuditChain.MaximumLineLength} bytes or is not valid text");
            }
            else
            {
                status = AuditRecordFormat.Parse(line.Bytes, out record, out message);
            }

            if (detectTorn && isLast && !line.Terminated)
            {
                return state.Fail(AuditVerificationFailureKind.Torn, expected, line.Number, "the last line has no line end: a write was interrupted (the records before it verify)");
            }

            if (status == AuditParseStatus.Malformed)
            {
                return detectTorn && isLast
                    ? state.Fail(AuditVerificationFailureKind.Torn, expected, line.Number, "the last line is not a readable record (" + message + "): a write was interrupted or bytes were appended")
                    : state.Fail(AuditVerificationFailureKind.Malformed, expected, line.Number, message);
            }

            long seq = record!.Seq;
            if (status is AuditParseStatus.NotCanonical or AuditParseStatus.HashMismatch)
            {
                return state.Fail(AuditVerificationFailureKind.Edited, seq, line.Number, CryptoHelpers.FormatInvariant($"record {seq} was changed after it was written: {message}"));
            }

            if (seq > expected)
            {
                bool appearsLater = cursor.PeekAhead(lookahead).Any(l => l.Bytes is not null && AuditRecordFormat.Parse(l.Bytes, out AuditRecord? later, out _) != AuditParseStatus.Malformed && later!.Seq == expected);
                return appearsLater
                    ? state.Fail(AuditVerificationFailureKind.Reordered, expected, line.Number, CryptoHelpers.FormatInvariant($"record {seq} comes where record {expected} belongs; record {expected} appears later"))
                    : state.Fail(AuditVerificationFailureKind.Deleted, expected, line.Number, seq == expected + 1
                        ? CryptoHelpers.FormatInvariant($"record {expected} is missing (the next line is record {seq})")
                        : CryptoHelpers.FormatInvariant($"records {expected} to {seq - 1} are missing (the next line is record {seq})"));
            }

            if (seq < expected)
            {
                return state.Fail(AuditVerificationFailureKind.Reordered, seq, line.Number, CryptoHelpers.FormatInvariant($"record {seq} appears after record {state.LastSeq}: records are out of order or duplicated"));
            }

            if (!string.Equals(record.Prev, state.LastHash, StringComparison.Ordinal))
            {
                return state.LastSeq == 0 && state.Count == 0
                    ? state.Fail(AuditVerificationFailureKind.Edited, seq, line.Number, CryptoHelpers.FormatInvariant($"record {seq} does not link to the start of the chain ('prev' is not the expected genesis or previous hash)"))
                    : state.Count == 0
                        ? state.Fail(AuditVerificationFailureKind.Edited, seq, line.Number, CryptoHelpers.FormatInvariant($"record {seq} does not link to the given previous record {state.LastSeq}"))
                        : state.Fail(AuditVerificationFailureKind.Edited, state.LastSeq, line.Number - 1, CryptoHelpers.FormatInvariant($"record {state.LastSeq} was changed and re-hashed: the 'prev' of record {seq} holds a different hash for it"));
            }

            if (record.Checkpoint is { } checkpoint)
            {
                if (!keys.TryGetValue(checkpoint.KeyId, out AuditVerificationKey? key))
                {
                    return state.Fail(AuditVerificationFailureKind.SignatureInvalid, seq, line.Number, CryptoHelpers.FormatInvariant($"checkpoint {seq} is signed by key '{checkpoint.KeyId}', and no verification key has that id"));
                }

                if (!checkpoint.VerifySignature(key))
                {
                    return state.Fail(AuditVerificationFailureKind.SignatureInvalid, seq, line.Number, CryptoHelpers.FormatInvariant($"the signature of checkpoint {seq} does not verify with key '{checkpoint.KeyId}'"));
                }
            }

            if (trusted.TryGetValue(seq, out string? trustedHash) && trustedHash != record.Hash)
            {
                return state.Fail(AuditVerificationFailureKind.Edited, seq, line.Number, CryptoHelpers.FormatInvariant($"record {seq} is not the record a trusted checkpoint holds for seq {seq}: the log was rewritten"));
            }

            state.Accept(record);
        }

        long lastTrusted = trusted.Count == 0 ? 0 : trusted.Keys.Max();
        if (lastTrusted > state.LastSeq)
        {
            return state.Fail(AuditVerificationFailureKind.Truncated, state.LastSeq + 1, state.LineCount + 1, CryptoHelpers.FormatInvariant($"the log ends after record {state.LastSeq}, but a trusted checkpoint shows records up to {lastTrusted}"));
        }

        return state.Ok();
    }

    internal readonly record struct RawLine(byte[]? Bytes, long Number, bool Terminated);

    private sealed class State
    {
        public State(long lastSeq, string lastHash)
        {
            LastSeq = lastSeq;
            LastHash = lastHash;
        }

        public long LastSeq { get; private set; }

        public string LastHash { get; private set; }

        public long Count { get; private set; }

        public long LineCount => Count;

        private long Events { get; set; }

        private long Checkpoints { get; set; }

        private AuditRecord? LastCheckpoint { get; set; }

        private long SinceCheckpoint { get; set; }

        public void Accept(AuditRecord record)
        {
            LastSeq = record.Seq;
            LastHash = record.Hash;
            Count++;
            if (record.Kind == AuditRecordKind.Checkpoint)
            {
                Checkpoints++;
                LastCheckpoint = record;
                SinceCheckpoint = 0;
            }
            else
            {
                Events++;
                SinceCheckpoint++;
            }
        }

        public AuditVerificationResult Fail(AuditVerificationFailureKind kind, long seq, long line, string message) =>
            new(new AuditVerificationFailure(kind, seq, line, message), Count, Events, Checkpoints, LastSeq, LastHash, LastCheckpoint, SinceCheckpoint);

        public AuditVerificationResult Ok() => new(null, Count, Events, Checkpoints, LastSeq, LastHash, LastCheckpoint, SinceCheckpoint);
    }

    private sealed class Cursor : IDisposable
    {
        private readonly IEnumerator<RawLine> _source;
        private readonly List<RawLine> _ahead = new();
        private bool _ended;

        public Cursor(IEnumerator<RawLine> source) => _source = source;

        public bool TryNext(out RawLine line)
        {
            if (_ahead.Count > 0)
            {
                line = _ahead[0];
                _ahead.RemoveAt(0);
                return true;
            }

            if (!_ended && _source.MoveNext())
            {
                line = _source.Current;
                return true;
            }

            _ended = true;
            line = default;
            return false;
        }

        public bool IsAtEnd() => PeekAhead(1).Count == 0;

        public List<RawLine> PeekAhead(int count)
        {
            while (_ahead.Count < count && !_ended)
            {
                if (_source.MoveNext())
                {
                    _ahead.Add(_source.Current);
                }
                else
                {
                    _ended = true;
                }
            }

            return _ahead.Count <= count ? _ahead : _ahead.GetRange(0, count);
        }

        public void Dispose() => _source.Dispose();
    }
}
