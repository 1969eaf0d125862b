using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests.Audit;

public sealed class FileAuditSinkTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly AuditSigningKey _key = AuditSigningKey.Generate("audit-test-1");

    public void Dispose()
    {
        _key.Dispose();
        _directory.Dispose();
    }

    private string LogPath => _directory.File("audit.jsonl");

    [Fact]
    public async Task Events_AreWrittenAsOneVerifiableChain_WithAClosingCheckpoint()
    {
        await using (FileAuditSink sink = Open())
        {
            for (int i = 1; i <= 5; i++)
            {
                Assert.Equal(i, await sink.AppendAsync(AuditSamples.Event(i)));
            }

            await sink.WriteAsync(AuditSamples.Event(6));
            Assert.Equal(6, sink.LastDurableSeq);
        }

        string[] lines = File.ReadAllLines(LogPath);
        Assert.Equal(7, lines.Length);
        Assert.Contains("\"type\":\"checkpoint\"", lines[6]);
        AuditVerificationResult result = VerifyLog();
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(6, result.EventCount);
        Assert.Equal(7, result.LastCheckpoint!.Seq);
        Assert.True(AuditRecord.TryParse(lines[0], out AuditRecord? first, out _));
        Assert.Equal(AuditSamples.Event(1), first.Event);
    }

    [Fact]
    public async Task Reopening_ContinuesTheChain()
    {
        await using (FileAuditSink sink = Open())
        {
            await sink.WriteAsync(AuditSamples.Event(1));
            await sink.WriteAsync(AuditSamples.Event(2));
        }

        await using (FileAuditSink sink = Open())
        {
            Assert.Equal(3, sink.LastDurableSeq);
            Assert.Equal(4, await sink.AppendAsync(AuditSamples.Event(3)));
        }

        AuditVerificationResult result = VerifyLog();
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(5, result.RecordCount);
        Assert.Equal(2, result.CheckpointCount);
    }

    [Fact]
    public async Task Reopening_ALogThatEndsWithAnEvent_SignsItFirst()
    {
        await using (FileAuditSink sink = Open(o => o.CheckpointOnClose = false))
        {
            await sink.WriteAsync(AuditSamples.Event(1));
        }

        Assert.Equal(1, VerifyLog().RecordsAfterLastCheckpoint);
        await using (FileAuditSink sink = Open())
        {
            Assert.Equal(2, sink.LastDurableSeq);
        }

        AuditVerificationResult result = VerifyLog();
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(2, result.LastCheckpoint!.Seq);
    }

    [Fact]
    public async Task SecondWriter_OnTheSameFile_FailsClearly()
    {
        await using FileAuditSink sink = Open();
        var exception = Assert.Throws<AuditLogException>(() => Open());
        Assert.Contains("already open for writing by another FileAuditSink", exception.Message);
        await sink.WriteAsync(AuditSamples.Event(1));

        // Readers are welcome while it is open.
        Assert.True(VerifyLog().IsValid);
    }

    [Fact]
    public async Task Lock_IsReleasedOnDispose()
    {
        await Open().DisposeAsync();
        await using FileAuditSink again = Open();
        await again.WriteAsync(AuditSamples.Event(1));
    }

    [Fact]
    public async Task CheckpointEveryRecords_WritesCheckpointsInsideTheChain()
    {
        await using (FileAuditSink sink = Open(o => o.CheckpointEveryRecords = 10))
        {
            for (int i = 1; i <= 25; i++)
            {
                await sink.WriteAsync(AuditSamples.Event(i));
            }
        }

        List<AuditRecord> records = ReadRecords();
        Assert.Equal(new long[] { 11, 22, 28 }, records.Where(r => r.Kind == AuditRecordKind.Checkpoint).Select(r => r.Seq));
        Assert.True(VerifyLog().IsValid);
    }

    [Fact]
    public async Task CheckpointInterval_SignsIdleRecords()
    {
        await using FileAuditSink sink = Open(o =>
        {
            o.CheckpointEveryRecords = 0;
            o.CheckpointInterval = TimeSpan.FromMilliseconds(100);
        });
        long first = await sink.AppendAsync(AuditSamples.Event(1));
        long second = await sink.AppendAsync(AuditSamples.Event(2));

        // No more writes and no count trigger: only the timer can sign the last event.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        AuditVerificationResult result = VerifyLog();
        // The checkpoint line can be read from the file a moment before its flush completes and LastDurableSeq moves.
        while ((result.LastCheckpoint is null || result.RecordsAfterLastCheckpoint > 0 || sink.LastDurableSeq <= second) &&
               DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            result = VerifyLog();
        }

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(0, result.RecordsAfterLastCheckpoint);
        Assert.Equal(second + 1, result.LastCheckpoint!.Seq);
        Assert.Equal(second + 1, sink.LastDurableSeq);
        Assert.True(first >= 1);
    }

    [Fact]
    public async Task WriteCheckpointAsync_SignsNow_AndOnlyWhenThereIsSomethingToSign()
    {
        await using FileAuditSink sink = Open(o => o.CheckpointOnClose = false);
        await sink.WriteAsync(AuditSamples.Event(1));
        Assert.Equal(2, await sink.WriteCheckpointAsync());
        Assert.Equal(2, await sink.WriteCheckpointAsync());
        Assert.Equal(2, File.ReadAllLines(LogPath).Length);
    }

    [Fact]
    public async Task Anchor_ReceivesEveryCheckpoint_AndDetectsACutLog()
    {
        string anchor = _directory.File("anchor/audit.checkpoints");
        await using (FileAuditSink sink = Open(o =>
        {
            o.CheckpointEveryRecords = 5;
            o.CheckpointAnchorPath = anchor;
        }))
        {
            for (int i = 1; i <= 12; i++)
            {
                await sink.WriteAsync(AuditSamples.Event(i));
            }
        }

        Assert.True(AuditChainVerifier.TryReadCheckpointAnchor(anchor, out IReadOnlyList<AuditRecord> checkpoints, out _));
        Assert.Equal(new long[] { 6, 12, 15 }, checkpoints.Select(c => c.Seq));
        var options = new AuditVerificationOptions { VerificationKeys = new[] { _key.PublicKey }, CheckpointAnchorPath = anchor };
        Assert.True(AuditChainVerifier.VerifyFile(LogPath, options).IsValid);

        // Cut the last three lines at line ends: alone it looks fine, against the anchor it is truncated.
        string[] lines = File.ReadAllLines(LogPath);
        File.WriteAllText(LogPath, string.Concat(lines.Take(12).Select(l => l + "\n")));
        Assert.True(VerifyLog().IsValid);
        AuditVerificationResult result = AuditChainVerifier.VerifyFile(LogPath, options);
        Assert.Equal(AuditVerificationFailureKind.Truncated, result.Failure!.Kind);
        Assert.Equal(13, result.Failure.Seq);
    }

    [Fact]
    public async Task Anchor_WithATornLastLine_IsRepairedOnOpen_AndAMissingAnchorIsAnError()
    {
        string anchor = _directory.File("audit.checkpoints");
        await using (FileAuditSink sink = Open(o => o.CheckpointAnchorPath = anchor))
        {
            await sink.WriteAsync(AuditSamples.Event(1));
        }

        File.AppendAllText(anchor, "{\"seq\":3,\"type\":\"check");
        await using (FileAuditSink sink = Open(o => o.CheckpointAnchorPath = anchor))
        {
            await sink.WriteAsync(AuditSamples.Event(2));
        }

        Assert.True(AuditChainVerifier.TryReadCheckpointAnchor(anchor, out IReadOnlyList<AuditRecord> checkpoints, out string? error), error);
        Assert.Equal(new long[] { 2, 4 }, checkpoints.Select(c => c.Seq));
        var options = new AuditVerificationOptions { VerificationKeys = new[] { _key.PublicKey }, CheckpointAnchorPath = anchor };
        Assert.True(AuditChainVerifier.VerifyFile(LogPath, options).IsValid);

        File.Delete(anchor);
        Assert.Throws<FileNotFoundException>(() => AuditChainVerifier.VerifyFile(LogPath, options));
    }

    [Fact]
    public async Task TornTail_IsQuarantined_AndTheChainContinues()
    {
        await using (FileAuditSink sink = Open())
        {
            await sink.WriteAsync(AuditSamples.Event(1));
        }

        byte[] partial = Encoding.UTF8.GetBytes("{\"seq\":3,\"timestamp\":\"2026-11-2");
        using (var stream = new FileStream(LogPath, FileMode.Append))
        {
            stream.Write(partial);
        }

        Assert.Equal(AuditVerificationFailureKind.Torn, VerifyLog().Failure!.Kind);
        var logger = new CapturingLogger<FileAuditSink>();
        await using (FileAuditSink sink = Open(logger: logger))
        {
            Assert.NotNull(sink.Recovery);
            Assert.Equal(partial.Length, sink.Recovery!.TornBytes);
            Assert.Equal(2, sink.Recovery.ResumedAfterSeq);
            Assert.Equal(partial, File.ReadAllBytes(sink.Recovery.QuarantinePath));
            Assert.Equal(3, await sink.AppendAsync(AuditSamples.Event(2)));
        }

        Assert.Contains("partial line", logger.AllText);
        AuditVerificationResult result = VerifyLog();
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(4, result.RecordCount);
    }

    [Fact]
    public async Task TornTail_WithRefuse_IsNotExtended()
    {
        await using (FileAuditSink sink = Open())
        {
            await sink.WriteAsync(AuditSamples.Event(1));
        }

        File.AppendAllText(LogPath, "{\"seq\":3");
        long length = new FileInfo(LogPath).Length;
        var exception = Assert.Throws<AuditLogException>(() => Open(o => o.TornTail = AuditTornTailHandling.Refuse));
        Assert.Contains("8 byte(s) after its last line end", exception.Message);
        Assert.Equal(length, new FileInfo(LogPath).Length);

        // The lock was released: the operator can open it after deciding.
        await using FileAuditSink again = Open();
        Assert.Equal(8, again.Recovery!.TornBytes);
    }

    [Fact]
    public async Task BrokenLastRecord_IsRefused()
    {
        await using (FileAuditSink sink = Open())
        {
            await sink.WriteAsync(AuditSamples.Event(1));
        }

        string[] lines = File.ReadAllLines(LogPath);
        lines[^1] = lines[^1].Replace("\"last_seq\":1", "\"last_seq\":0", StringComparison.Ordinal);
        File.WriteAllText(LogPath, string.Join("\n", lines) + "\n");
        var exception = Assert.Throws<AuditLogException>(() => Open());
        Assert.Contains("ends with a record that does not verify", exception.Message);
    }

    [Fact]
    public async Task SigningFailure_KeepsEventsFlowing_AndSigningResumes()
    {
        using var flaky = new FlakyECDsa();
        using AuditSigningKey key = AuditSigningKey.Create(flaky, "kms-key-1");
        var logger = new CapturingLogger<FileAuditSink>();
        await using (var sink = new FileAuditSink(
            new FileAuditSinkOptions { Path = LogPath, SigningKey = key, CheckpointEveryRecords = 2, CheckpointInterval = TimeSpan.FromMilliseconds(200) },
            logger))
        {
            flaky.Fail = true;
            for (int i = 1; i <= 5; i++)
            {
                Assert.Equal(i, await sink.AppendAsync(AuditSamples.Event(i)));
            }

            Assert.Contains("could not be signed with key kms-key-1", logger.AllText);
            flaky.Fail = false;
            await Task.Delay(300);
            await sink.WriteAsync(AuditSamples.Event(6));
        }

        AuditVerificationResult result = AuditChainVerifier.VerifyFile(LogPath, new AuditVerificationOptions { VerificationKeys = new[] { key.PublicKey } });
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(6, result.EventCount);
        Assert.Equal(0, result.RecordsAfterLastCheckpoint);
    }

    [Fact]
    public async Task InvalidEvent_IsRejected_AndTheSinkKeepsWorking()
    {
        await using FileAuditSink sink = Open();
        await Assert.ThrowsAsync<ArgumentException>(async () => await sink.WriteAsync(AuditSamples.Event(1) with { User = null! }));
        Assert.Equal(1, await sink.AppendAsync(AuditSamples.Event(1)));
    }

    [Fact]
    public async Task CancelledBeforeTheWrite_IsNotWritten()
    {
        await using FileAuditSink sink = Open();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await sink.WriteAsync(AuditSamples.Event(1), cancelled.Token));
        Assert.Equal(1, await sink.AppendAsync(AuditSamples.Event(2)));
    }

    [Fact]
    public async Task WriteFailure_IsPropagated_AndNothingIsAcknowledgedAfterIt()
    {
        FileAuditSink sink = Open();
        await sink.WriteAsync(AuditSamples.Event(1));

        // Break the file handle under the writer.
        var log = (FileStream)typeof(FileAuditSink).GetField("_log", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(sink)!;
        log.Dispose();

        var first = await Assert.ThrowsAsync<AuditLogException>(async () => await sink.WriteAsync(AuditSamples.Event(2)));
        Assert.Contains("were not acknowledged", first.Message);
        var later = await Assert.ThrowsAsync<AuditLogException>(async () => await sink.WriteAsync(AuditSamples.Event(3)));
        Assert.Contains("stopped accepting events", later.Message);
        await sink.DisposeAsync();

        AuditVerificationResult result = VerifyLog();
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(1, result.EventCount);
    }

    [Fact]
    public async Task Dispose_DrainsTheQueue_AndLaterWritesFail()
    {
        FileAuditSink sink = Open(o => o.MaxBatchSize = 3);
        var writes = Enumerable.Range(1, 50).Select(i => sink.AppendAsync(AuditSamples.Event(i)).AsTask()).ToList();
        await sink.DisposeAsync();
        await sink.DisposeAsync();
        long[] seqs = await Task.WhenAll(writes);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), seqs.OrderBy(s => s));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await sink.WriteAsync(AuditSamples.Event(51)));
        Assert.Equal(50, VerifyLog().EventCount);
    }

    [Fact]
    public async Task WithoutASigningKey_TheLogIsChainedOnly()
    {
        await using (var sink = new FileAuditSink(new FileAuditSinkOptions { Path = LogPath }))
        {
            await sink.WriteAsync(AuditSamples.Event(1));
            Assert.Equal(1, await sink.WriteCheckpointAsync());
        }

        AuditVerificationResult result = AuditChainVerifier.VerifyFile(LogPath);
        Assert.True(result.IsValid);
        Assert.Null(result.LastCheckpoint);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => new FileAuditSink(new FileAuditSinkOptions()));
        Assert.Throws<ArgumentException>(() => Open(o => o.MaxBatchSize = 0));
        Assert.Throws<ArgumentException>(() => Open(o => o.CheckpointInterval = TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => Open(o => o.FlushMode = (AuditFlushMode)9));
    }

    [Fact]
    public async Task ManyConcurrentWriters_ProduceOneIntactChainWithEveryEvent()
    {
        const int Writers = 64;
        const int EventsEach = 500;
        var acknowledged = new ConcurrentDictionary<long, string>();
        await using (FileAuditSink sink = Open(o => o.CheckpointEveryRecords = 1000))
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (int i = 0; i < EventsEach; i++)
                {
                    string resource = "/api/patients/" + w + "/" + i;
                    long seq = await sink.AppendAsync(AuditSamples.Event(i) with { Resource = resource });
                    Assert.True(acknowledged.TryAdd(seq, resource));
                }
            })));
        }

        AuditVerificationResult result = VerifyLog();
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Writers * EventsEach, result.EventCount);
        Dictionary<long, string> written = ReadRecords().Where(r => r.Event is not null).ToDictionary(r => r.Seq, r => r.Event!.Resource);
        Assert.Equal(Writers * EventsEach, written.Count);
        foreach ((long seq, string resource) in acknowledged)
        {
            Assert.Equal(resource, written[seq]);
        }

        Assert.Equal(Writers * EventsEach, written.Values.Distinct().Count());
    }

    private FileAuditSink Open(Action<FileAuditSinkOptions>? configure = null, CapturingLogger<FileAuditSink>? logger = null)
    {
        var options = new FileAuditSinkOptions { Path = LogPath, SigningKey = _key };
        configure?.Invoke(options);
        return new FileAuditSink(options, logger);
    }

    private AuditVerificationResult VerifyLog() =>
        AuditChainVerifier.VerifyFile(LogPath, new AuditVerificationOptions { VerificationKeys = new[] { _key.PublicKey } });

    private List<AuditRecord> ReadRecords() =>
        File.ReadAllLines(LogPath).Select(l => AuditRecord.TryParse(l, out AuditRecord? r, out _) ? r : throw new InvalidDataException()).ToList();
}

/// <summary>A P-256 key whose signing can be switched off, like an HSM or KMS that becomes unreachable.</summary>
internal sealed class FlakyECDsa : System.Security.Cryptography.ECDsa
{
    private readonly System.Security.Cryptography.ECDsa _inner = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    public FlakyECDsa() => KeySizeValue = 256;

    public volatile bool Fail;

    public override byte[] SignHash(byte[] hash) =>
        Fail ? throw new System.Security.Cryptography.CryptographicException("The key service is unreachable.") : _inner.SignHash(hash);

    public override bool VerifyHash(byte[] hash, byte[] signature) => _inner.VerifyHash(hash, signature);

    public override System.Security.Cryptography.ECParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters ? throw new System.Security.Cryptography.CryptographicException("Not exportable.") : _inner.ExportParameters(false);

    protected override byte[] HashData(byte[] data, int offset, int count, System.Security.Cryptography.HashAlgorithmName hashAlgorithm) =>
        System.Security.Cryptography.SHA256.HashData(data.AsSpan(offset, count));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
