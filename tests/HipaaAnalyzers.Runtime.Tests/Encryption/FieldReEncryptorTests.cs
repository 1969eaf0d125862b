using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class FieldReEncryptorTests : IDisposable
{
    private readonly DataKey _old = TestKeys.Encryption("enc-old", 1);
    private readonly DataKey _new = TestKeys.Encryption("enc-new", 2);
    private readonly InMemoryKeyRingProvider _provider;
    private readonly FieldEncryptor _encryptor;

    public FieldReEncryptorTests()
    {
        _provider = new InMemoryKeyRingProvider(TestKeys.Ring((_old, DataKeyStatus.Active)));
        _encryptor = new FieldEncryptor(_provider);
    }

    public void Dispose()
    {
        _old.Dispose();
        _new.Dispose();
    }

    [Fact]
    public void MovesOldValues_SkipsCurrentOnes_AndReportsProgress()
    {
        List<Row> rows = Rows(25);
        _provider.Update(_provider.GetKeyRing().WithKey(_new, DataKeyStatus.Active));
        rows.AddRange(Rows(5, start: 25)); // already under the new key
        var progress = new ListProgress();
        var logger = new CapturingLogger<FieldReEncryptor>();
        var saved = new List<int>();

        ReEncryptionResult result = new FieldReEncryptor(_encryptor, logger).ReEncrypt(
            rows,
            r => r.Field,
            (r, ciphertext) => { saved.Add(r.Id); r.Ciphertext = ciphertext; },
            progress,
            new ReEncryptionOptions { ProgressInterval = 10 });

        Assert.Equal(new ReEncryptionProgress(30, 25, 5, 0).ToString(), result.Totals.ToString());
        Assert.True(result.IsComplete);
        Assert.Equal("enc-new", result.ActiveKeyId);
        Assert.Equal(Enumerable.Range(0, 25), saved);
        Assert.All(rows, r => Assert.Equal("enc-new", FieldEncryptor.ReadHeader(r.Ciphertext).KeyId));
        Assert.All(rows, r => Assert.Equal(r.Plaintext, _encryptor.Decrypt(r.Ciphertext, r.Context)));
        Assert.Equal(new long[] { 10, 20, 30, 30 }, progress.Reports.Select(p => p.Processed));
        Assert.Contains("enc-new", logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("PATIENT", logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void IsIdempotent_ASecondRunChangesNothing()
    {
        List<Row> rows = Rows(10);
        _provider.Update(_provider.GetKeyRing().WithKey(_new, DataKeyStatus.Active));
        var reEncryptor = new FieldReEncryptor(_encryptor);
        reEncryptor.ReEncrypt(rows, r => r.Field, (r, c) => r.Ciphertext = c);

        ReEncryptionResult second = reEncryptor.ReEncrypt(rows, r => r.Field, (r, c) => throw new InvalidOperationException("nothing to save"));

        Assert.Equal(10, second.Totals.AlreadyCurrent);
        Assert.Equal(0, second.Totals.ReEncrypted);
    }

    [Fact]
    public void StopsAtTheFirstUndecryptableRecord_ByDefault()
    {
        List<Row> rows = Rows(5);
        rows[2].Ciphertext[^1] ^= 1;
        _provider.Update(_provider.GetKeyRing().WithKey(_new, DataKeyStatus.Active));
        var saved = new List<int>();

        Assert.Throws<CiphertextAuthenticationException>(() =>
            new FieldReEncryptor(_encryptor).ReEncrypt(rows, r => r.Field, (r, c) => saved.Add(r.Id)));

        Assert.Equal(new[] { 0, 1 }, saved);
    }

    [Fact]
    public void ContinueOnError_SkipsAndCountsFailures_ByPosition()
    {
        List<Row> rows = Rows(6);
        rows[1].Ciphertext[^1] ^= 1;
        rows[4].Context = EncryptionContext.ForField("Patients", "Ssn", "other row");
        _provider.Update(_provider.GetKeyRing().WithKey(_new, DataKeyStatus.Active));
        var logger = new CapturingLogger<FieldReEncryptor>();

        ReEncryptionResult result = new FieldReEncryptor(_encryptor, logger).ReEncrypt(
            rows, r => r.Field, (r, c) => r.Ciphertext = c, options: new ReEncryptionOptions { ContinueOnError = true });

        Assert.False(result.IsComplete);
        Assert.Equal(2, result.Totals.Failed);
        Assert.Equal(4, result.Totals.ReEncrypted);
        Assert.Equal(new long[] { 1, 4 }, result.FailedRecordNumbers);
        Assert.Equal("enc-old", FieldEncryptor.ReadHeader(rows[1].Ciphertext).KeyId);
        Assert.Contains("position 1", logger.AllText, StringComparison.Ordinal);
        Assert.Contains(nameof(CiphertextAuthenticationException), logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("other row", logger.AllText, StringComparison.Ordinal);
        TestPlaintexts.NotRevealed(logger.AllText, TestPlaintexts.SsnBytes);
    }

    [Fact]
    public async Task Async_StreamsRecords_AndHonoursCancellation()
    {
        List<Row> rows = Rows(12);
        _provider.Update(_provider.GetKeyRing().WithKey(_new, DataKeyStatus.Active));
        var reEncryptor = new FieldReEncryptor(_encryptor);

        ReEncryptionResult result = await reEncryptor.ReEncryptAsync(
            Stream(rows), r => r.Field, (r, c, ct) => { r.Ciphertext = c; return ValueTask.CompletedTask; });

        Assert.Equal(12, result.Totals.ReEncrypted);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            reEncryptor.ReEncryptAsync(Stream(rows), r => r.Field, (r, c, ct) => ValueTask.CompletedTask, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void InvalidOptions_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FieldReEncryptor(_encryptor).ReEncrypt(
            Rows(1), r => r.Field, (r, c) => { }, options: new ReEncryptionOptions { ProgressInterval = 0 }));
    }

    private List<Row> Rows(int count, int start = 0) =>
        Enumerable.Range(start, count).Select(i =>
        {
            byte[] plaintext = System.Text.Encoding.UTF8.GetBytes(TestPlaintexts.Ssn + "-" + i);
            var context = EncryptionContext.ForField("Patients", "Ssn", i);
            return new Row(i, plaintext, context, _encryptor.Encrypt(plaintext, context));
        }).ToList();

    private static async IAsyncEnumerable<Row> Stream(IEnumerable<Row> rows)
    {
        foreach (Row row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private sealed class Row(int id, byte[] plaintext, EncryptionContext context, byte[] ciphertext)
    {
        public int Id { get; } = id;

        public byte[] Plaintext { get; } = plaintext;

        public EncryptionContext Context { get; set; } = context;

        public byte[] Ciphertext { get; set; } = ciphertext;

        public EncryptedField Field => new(Ciphertext, Context);
    }

    /// <summary>Records reports synchronously (unlike Progress&lt;T&gt;, which posts them).</summary>
    private sealed class ListProgress : IProgress<ReEncryptionProgress>
    {
        public List<ReEncryptionProgress> Reports { get; } = new();

        public void Report(ReEncryptionProgress value) => Reports.Add(value);
    }
}
