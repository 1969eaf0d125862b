using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using HipaaAnalyzers.Runtime.Audit;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests.Audit;

public sealed class AuditChainVerifierTests : IDisposable
{
    private readonly AuditSigningKey _key = AuditSigningKey.Generate("audit-test-1");
    private readonly List<AuditRecord> _chain;

    public AuditChainVerifierTests()
    {
        // 30 events, checkpoints after events 10, 20 and 30: seqs 1-10 events, 11 checkpoint, 12-21, 22, 23-32, 33.
        _chain = AuditSamples.Chain(_key, 30, 10);
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public void IntactLog_Verifies_WithCountsAndLastCheckpoint()
    {
        AuditVerificationResult result = AuditSamples.Verify(AuditSamples.ToFileBytes(_chain), _key);

        Assert.True(result.IsValid, result.ToString());
        Assert.Null(result.Failure);
        Assert.Equal(33, result.RecordCount);
        Assert.Equal(30, result.EventCount);
        Assert.Equal(3, result.CheckpointCount);
        Assert.Equal(33, result.LastSeq);
        Assert.Equal(_chain[^1].Hash, result.LastHash);
        Assert.Equal(33, result.LastCheckpoint!.Seq);
        Assert.Equal(0, result.RecordsAfterLastCheckpoint);
        Assert.StartsWith("OK: 33 records (30 events, 3 checkpoints), last seq 33, last checkpoint at seq 33", result.ToString());
        Assert.True(AuditSamples.VerifyLines(AuditSamples.Lines(_chain), _key).IsValid);
    }

    [Fact]
    public void EmptyLog_Verifies()
    {
        AuditVerificationResult result = AuditSamples.Verify(Array.Empty<byte>(), _key);
        Assert.True(result.IsValid);
        Assert.Equal(0, result.RecordCount);
        Assert.Null(result.LastCheckpoint);
    }

    [Fact]
    public void EditedRecord_IsReportedAtItsSeq()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        lines[4] = lines[4].Replace("/api/patients/5\"", "/api/patients/6\"", StringComparison.Ordinal);

        AuditVerificationFailure failure = AssertFails(lines, AuditVerificationFailureKind.Edited, seq: 5, line: 5);
        Assert.Contains("'hash' is not the SHA-256", failure.Message);
        Assert.DoesNotContain("patients", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EditedAndRehashedRecord_IsReportedAtItsSeq_ThroughTheNextRecordsPrev()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        // Rewrite record 5 consistently (a new hash over the new content), keep record 6 as it was.
        var forger = new AuditChainWriter(4, _chain[3].Hash);
        lines[4] = forger.AppendEvent(AuditSamples.Event(5) with { User = "someone-else" }).Line;

        AuditVerificationFailure failure = AssertFails(lines, AuditVerificationFailureKind.Edited, seq: 5, line: 5);
        Assert.Contains("re-hashed", failure.Message);
    }

    [Fact]
    public void RewrittenTail_FailsAtTheFirstCheckpointSignature()
    {
        // Rewrite everything from record 5 on with a consistent chain and a forged checkpoint key.
        using AuditSigningKey forgedKey = AuditSigningKey.Generate("audit-test-1");
        var forger = new AuditChainWriter(4, _chain[3].Hash);
        List<string> lines = AuditSamples.Lines(_chain.Take(4));
        for (int i = 5; i <= 10; i++)
        {
            lines.Add(forger.AppendEvent(AuditSamples.Event(i) with { Outcome = AuditOutcome.Success }).Line);
        }

        lines.Add(forger.AppendCheckpoint(forgedKey, AuditSamples.Time).Line);
        AuditVerificationFailure failure = AssertFails(lines, AuditVerificationFailureKind.SignatureInvalid, seq: 11, line: 11);
        Assert.Contains("does not verify with key 'audit-test-1'", failure.Message);
    }

    [Fact]
    public void DeletedRecord_IsReportedAtTheMissingSeq()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        lines.RemoveAt(6);
        AuditVerificationFailure failure = AssertFails(lines, AuditVerificationFailureKind.Deleted, seq: 7, line: 7);
        Assert.Equal("record 7 is missing (the next line is record 8)", failure.Message);

        lines.RemoveRange(6, 3);
        Assert.Equal("records 7 to 10 are missing (the next line is record 11)", AssertFails(lines, AuditVerificationFailureKind.Deleted, seq: 7, line: 7).Message);
    }

    [Fact]
    public void DeletedFirstRecord_IsReportedAsDeleted() =>
        AssertFails(AuditSamples.Lines(_chain.Skip(1)), AuditVerificationFailureKind.Deleted, seq: 1, line: 1);

    [Fact]
    public void SwappedRecords_AreReportedAsReordered()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        (lines[2], lines[3]) = (lines[3], lines[2]);
        AuditVerificationFailure failure = AssertFails(lines, AuditVerificationFailureKind.Reordered, seq: 3, line: 3);
        Assert.Contains("record 3 appears later", failure.Message);
    }

    [Fact]
    public void RecordMovedLater_IsReportedAsReordered()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        string moved = lines[2];
        lines.RemoveAt(2);
        lines.Insert(20, moved);
        AssertFails(lines, AuditVerificationFailureKind.Reordered, seq: 3, line: 3);
    }

    [Fact]
    public void DuplicatedRecord_IsReportedAsReordered()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        lines.Insert(5, lines[4]);
        AuditVerificationFailure failure = AssertFails(lines, AuditVerificationFailureKind.Reordered, seq: 5, line: 6);
        Assert.Contains("out of order or duplicated", failure.Message);
    }

    [Fact]
    public void TruncatedLog_IsReportedAgainstATrustedCheckpoint()
    {
        AuditRecord lastCheckpoint = _chain[^1];
        byte[] truncated = AuditSamples.ToFileBytes(_chain.Take(25));

        // Alone, a clean cut at a line end looks like a shorter log, with unsigned records after its last checkpoint.
        AuditVerificationResult alone = AuditSamples.Verify(truncated, _key);
        Assert.True(alone.IsValid);
        Assert.Equal(3, alone.RecordsAfterLastCheckpoint);

        AuditVerificationResult result = AuditSamples.Verify(truncated, _key, new[] { lastCheckpoint });
        Assert.Equal(AuditVerificationFailureKind.Truncated, result.Failure!.Kind);
        Assert.Equal(26, result.Failure.Seq);
        Assert.Equal(26, result.Failure.LineNumber);
        Assert.Equal("the log ends after record 25, but a trusted checkpoint shows records up to 33", result.Failure.Message);
        Assert.Equal(25, result.RecordCount);
    }

    [Fact]
    public void TrustedCheckpoint_ThatTheLogContradicts_IsReportedAsEdited()
    {
        // A different chain whose checkpoint 11 is genuine (same key) but not the log's.
        List<AuditRecord> other = AuditSamples.Chain(_key, 10, 10);
        var forger = new AuditChainWriter();
        var divergent = new List<AuditRecord>();
        for (int i = 1; i <= 10; i++)
        {
            divergent.Add(forger.AppendEvent(AuditSamples.Event(i + 100)));
        }

        divergent.Add(forger.AppendCheckpoint(_key, AuditSamples.Time));
        AuditVerificationResult result = AuditSamples.Verify(AuditSamples.ToFileBytes(_chain), _key, new[] { divergent[^1] });
        Assert.Equal(AuditVerificationFailureKind.Edited, result.Failure!.Kind);
        Assert.Equal(11, result.Failure.Seq);
        Assert.True(AuditSamples.Verify(AuditSamples.ToFileBytes(_chain), _key, new[] { _chain[10], _chain[^1] }).IsValid);

        // Same events, but a checkpoint signed separately (ECDSA signatures are randomized): not the log's record.
        Assert.Equal(AuditVerificationFailureKind.Edited, AuditSamples.Verify(AuditSamples.ToFileBytes(_chain), _key, new[] { other[^1] }).Failure!.Kind);
    }

    [Fact]
    public void ForgedTrustedCheckpoint_IsRejected()
    {
        using AuditSigningKey other = AuditSigningKey.Generate("audit-test-1");
        var forger = new AuditChainWriter(10, _chain[9].Hash);
        AuditRecord forged = forger.AppendCheckpoint(other, AuditSamples.Time);
        AuditVerificationResult result = AuditSamples.Verify(AuditSamples.ToFileBytes(_chain), _key, new[] { forged });
        Assert.Equal(AuditVerificationFailureKind.SignatureInvalid, result.Failure!.Kind);
    }

    [Fact]
    public void TamperedSignature_IsReportedAsEdited_OrAsSignatureInvalidWhenRehashed()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        AuditRecord checkpoint = _chain[10];
        byte[] signature = checkpoint.Checkpoint!.Signature.ToArray();
        signature[5] ^= 1;

        // Re-hash the tampered checkpoint so only the signature is wrong.
        var forger = new AuditChainWriter(10, _chain[9].Hash);
        string line = checkpoint.Line.Replace(Convert.ToBase64String(checkpoint.Checkpoint.Signature.Span), Convert.ToBase64String(signature), StringComparison.Ordinal);
        Assert.False(AuditRecord.TryParse(line, out _, out _));
        AssertFails(ReplaceAt(lines, 10, line), AuditVerificationFailureKind.Edited, seq: 11, line: 11);

        string body = line.Substring(0, line.IndexOf(",\"hash\":", StringComparison.Ordinal)) + "}";
        string rehashed = body.Substring(0, body.Length - 1) + ",\"hash\":\"" + AuditChain.ComputeHash(Encoding.UTF8.GetBytes(body)) + "\"}";
        Assert.True(AuditRecord.TryParse(rehashed, out _, out _));
        Assert.NotNull(forger);
        AuditVerificationFailure failure = AssertFails(ReplaceAt(lines, 10, rehashed), AuditVerificationFailureKind.SignatureInvalid, seq: 11, line: 11);
        Assert.Contains("does not verify", failure.Message);
    }

    [Fact]
    public void CheckpointWithAnUnknownKey_IsSignatureInvalid()
    {
        using AuditSigningKey other = AuditSigningKey.Generate();
        AuditVerificationResult result = AuditChainVerifier.Verify(AuditSamples.Lines(_chain), new AuditVerificationOptions { VerificationKeys = new[] { other.PublicKey } });
        Assert.Equal(AuditVerificationFailureKind.SignatureInvalid, result.Failure!.Kind);
        Assert.Equal(11, result.Failure.Seq);
        Assert.Contains("no verification key has that id", result.Failure.Message);
        Assert.Equal(10, result.RecordCount);

        Assert.Equal(AuditVerificationFailureKind.SignatureInvalid, AuditChainVerifier.Verify(AuditSamples.Lines(_chain)).Failure!.Kind);
    }

    [Fact]
    public void TornLastLine_IsReported_AndEverythingBeforeItVerifies()
    {
        byte[] content = AuditSamples.ToFileBytes(_chain);
        byte[] torn = content.AsSpan(0, content.Length - 40).ToArray();
        AuditVerificationResult result = AuditSamples.Verify(torn, _key);
        Assert.Equal(AuditVerificationFailureKind.Torn, result.Failure!.Kind);
        Assert.Equal(33, result.Failure.Seq);
        Assert.Equal(33, result.Failure.LineNumber);
        Assert.Equal(32, result.RecordCount);

        // Only the line end is missing: still torn (the writer writes record and line end together).
        AuditVerificationResult noNewline = AuditSamples.Verify(content.AsSpan(0, content.Length - 1).ToArray(), _key);
        Assert.Equal(AuditVerificationFailureKind.Torn, noNewline.Failure!.Kind);

        // Garbage appended as a last line.
        AuditVerificationResult appended = AuditSamples.Verify(content.Concat(Encoding.UTF8.GetBytes("{\"seq\":34,\n")).ToArray(), _key);
        Assert.Equal(AuditVerificationFailureKind.Torn, appended.Failure!.Kind);
        Assert.Equal(33, appended.RecordCount);
    }

    [Fact]
    public void GarbageLineInTheMiddle_IsMalformed()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        lines.Insert(3, "hello");
        AuditVerificationFailure failure = AssertFails(lines, AuditVerificationFailureKind.Malformed, seq: 4, line: 4);
        Assert.Contains("not valid JSON", failure.Message);

        byte[] content = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        Assert.Equal(AuditVerificationFailureKind.Malformed, AuditSamples.Verify(content, _key).Failure!.Kind);

        byte[] blankLine = Encoding.UTF8.GetBytes(string.Join("\n", AuditSamples.Lines(_chain).Take(3)) + "\n\n" + string.Join("\n", AuditSamples.Lines(_chain).Skip(3)) + "\n");
        Assert.Equal(AuditVerificationFailureKind.Malformed, AuditSamples.Verify(blankLine, _key).Failure!.Kind);

        byte[] longLine = Encoding.UTF8.GetBytes(new string('x', AuditChain.MaximumLineLength + 10) + "\n" + string.Join("\n", AuditSamples.Lines(_chain)) + "\n");
        AuditVerificationResult tooLong = AuditSamples.Verify(longLine, _key);
        Assert.Equal(AuditVerificationFailureKind.Malformed, tooLong.Failure!.Kind);
        Assert.Equal(1, tooLong.Failure.LineNumber);
    }

    [Fact]
    public void RowsOfALaterPartition_VerifyFromTheGivenPreviousRecord()
    {
        List<string> lines = AuditSamples.Lines(_chain.Skip(11));
        var options = new AuditVerificationOptions { VerificationKeys = new[] { _key.PublicKey }, PreviousSeq = 11, PreviousHash = _chain[10].Hash };
        AuditVerificationResult result = AuditChainVerifier.Verify(lines, options);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(22, result.RecordCount);

        options.PreviousHash = _chain[9].Hash;
        Assert.Equal(AuditVerificationFailureKind.Edited, AuditChainVerifier.Verify(lines, options).Failure!.Kind);
        Assert.Throws<ArgumentException>(() => AuditChainVerifier.Verify(lines, new AuditVerificationOptions { PreviousHash = "x" }));
    }

    [Fact]
    public void NullOrInvalidTextLines_AreMalformed()
    {
        List<string> lines = AuditSamples.Lines(_chain);
        lines[1] = null!;
        AssertFails(lines, AuditVerificationFailureKind.Malformed, seq: 2, line: 2);
        lines[1] = "\ud800";
        AssertFails(lines, AuditVerificationFailureKind.Malformed, seq: 2, line: 2);
    }

    [Fact]
    public void Run_VerifiesAFileFromTheCommandLine()
    {
        using var directory = new TempDirectory();
        string log = directory.File("audit.jsonl");
        string key = directory.File("audit.pub.pem");
        File.WriteAllBytes(log, AuditSamples.ToFileBytes(_chain));
        File.WriteAllText(key, _key.ExportPublicKeyPem());

        var output = new StringWriter();
        Assert.Equal(0, AuditChainVerifier.Run(new[] { log, "--key", key, "--key-id", "audit-test-1" }, output));
        Assert.StartsWith("OK: 33 records", output.ToString());

        File.WriteAllBytes(log, AuditSamples.ToFileBytes(_chain.Take(20).Concat(_chain.Skip(21))));
        output = new StringWriter();
        Assert.Equal(1, AuditChainVerifier.Run(new[] { log, "--key", key, "--key-id", "audit-test-1" }, output));
        Assert.StartsWith("FAILED: Deleted at seq 21 (line 21): record 21 is missing", output.ToString());

        output = new StringWriter();
        Assert.Equal(1, AuditChainVerifier.Run(new[] { log, "--key", key }, output));
        Assert.Contains("no verification key has that id", output.ToString());
        Assert.Equal(2, AuditChainVerifier.Run(Array.Empty<string>(), new StringWriter()));
        Assert.Equal(2, AuditChainVerifier.Run(new[] { directory.File("missing.jsonl"), "--key", key }, new StringWriter()));
        Assert.Equal(2, AuditChainVerifier.Run(new[] { log, "--bogus" }, new StringWriter()));
    }

    private static List<string> ReplaceAt(List<string> lines, int index, string line)
    {
        var copy = new List<string>(lines);
        copy[index] = line;
        return copy;
    }

    private AuditVerificationFailure AssertFails(List<string> lines, AuditVerificationFailureKind kind, long seq, long line)
    {
        AuditVerificationResult fromLines = AuditSamples.VerifyLines(lines, _key);
        Assert.False(fromLines.IsValid);
        Assert.Equal(kind, fromLines.Failure!.Kind);
        Assert.Equal(seq, fromLines.Failure.Seq);
        Assert.Equal(line, fromLines.Failure.LineNumber);

        // The same through the file reader.
        AuditVerificationResult fromFile = AuditSamples.Verify(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => (l ?? "null") + "\n"))), _key);
        if (lines.TrueForAll(l => l is not null && !l.Contains('\ud800', StringComparison.Ordinal)))
        {
            Assert.Equal(kind, fromFile.Failure!.Kind);
            Assert.Equal(seq, fromFile.Failure.Seq);
        }

        return fromLines.Failure;
    }
}
