using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ReEncryptionJobTests
{
    private const int RowCount = 400;
    private const int BatchSize = 40;

    private readonly PostgresServer _server;

    public ReEncryptionJobTests(PostgresServer server) => _server = server;

    [Fact]
    public async Task Rotation_re_encrypts_every_row_even_when_interrupted_by_a_cancellation_and_an_exception()
    {
        var keys = new TestKeys("enc-old");
        string connectionString = _server.ConnectionString(_server.CreateDatabase("rotation"));
        Dictionary<Guid, (string Ssn, string? Diagnosis)> expected = await SeedAsync(keys, connectionString);

        keys.Rotate("enc-new");
        var options = new ReEncryptionJobOptions { BatchSize = BatchSize };

        // Run 1: cancelled after three committed batches.
        using (var cancellation = new CancellationTokenSource())
        await using (ClinicDb db = keys.CreateContext(connectionString))
        {
            var reports = new List<ReEncryptionJobProgress>();
            var progress = new SynchronousProgress(p =>
            {
                reports.Add(p);
                if (p.Batches == 3)
                {
                    cancellation.Cancel();
                }
            });
            var job = new EncryptedColumnReEncryptionJob<Patient>(db, options: options);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.RunAsync(progress, cancellation.Token));
            Assert.Equal(new long[] { 1, 2, 3 }, reports.Select(r => r.Batches));
        }

        Assert.Equal(3 * BatchSize, await CountRowsUnderAsync(connectionString, "enc-new"));

        // Run 2: the checkpoint store fails while saving the third batch of this run, after its updates ran: the
        // batch rolls back, and the two before it stay.
        await using (ClinicDb db = keys.CreateContext(connectionString))
        {
            var failing = new FailingCheckpointStore(new DatabaseReEncryptionCheckpointStore(), failOnSave: 3);
            var job = new EncryptedColumnReEncryptionJob<Patient>(db, failing, options);
            InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => job.RunAsync());
            Assert.Equal("simulated crash", error.Message);
        }

        Assert.Equal(5 * BatchSize, await CountRowsUnderAsync(connectionString, "enc-new"));

        // Run 3: resumes after the fifth batch and finishes.
        ReEncryptionJobProgress final;
        await using (ClinicDb db = keys.CreateContext(connectionString))
        {
            var reports = new List<ReEncryptionJobProgress>();
            final = await new EncryptedColumnReEncryptionJob<Patient>(db, options: options).RunAsync(new SynchronousProgress(reports.Add));
            Assert.Equal(6, reports[0].Batches);
        }

        Assert.True(final.Resumed);
        Assert.Equal(RowCount / BatchSize, final.Batches);
        Assert.Equal(RowCount, final.Rows);
        int values = expected.Values.Sum(v => v.Diagnosis is null ? 1 : 2);
        Assert.Equal(values, final.ReEncrypted + final.AlreadyCurrent);
        Assert.Equal(RowCount, await CountRowsUnderAsync(connectionString, "enc-new"));

        // The old key can go: every row reads under the new key alone, nothing lost, nothing changed.
        keys.Provider.Update(keys.Provider.GetKeyRing().WithoutKey("enc-old"));
        await using (ClinicDb db = keys.CreateContext(connectionString))
        {
            List<Patient> all = await db.Patients.AsNoTracking().ToListAsync();
            Assert.Equal(RowCount, all.Count);
            foreach (Patient patient in all)
            {
                Assert.Equal(expected[patient.Id], (patient.Ssn, patient.Diagnosis));
            }

            // The blind index is unaffected by an encryption key rotation.
            Patient any = all[RowCount / 2];
            Assert.Equal(any.Id, Assert.Single(await db.Patients.WhereEncryptedEquals(p => p.Ssn, any.Ssn).ToListAsync()).Id);

            // A second run finds nothing to do, and starts from the first row again (the checkpoint was removed).
            ReEncryptionJobProgress again = await new EncryptedColumnReEncryptionJob<Patient>(db, options: options).RunAsync();
            Assert.False(again.Resumed);
            Assert.Equal((0L, (long)values, (long)RowCount), (again.ReEncrypted, again.AlreadyCurrent, again.Rows));
        }
    }

    [Fact]
    public async Task A_value_that_does_not_decrypt_stops_the_job_and_its_batch_rolls_back()
    {
        var keys = new TestKeys("enc-a");
        string connectionString = _server.ConnectionString(_server.CreateDatabase("rotation_failure"));
        Dictionary<Guid, (string Ssn, string? Diagnosis)> expected = await SeedAsync(keys, connectionString, rows: 30);
        keys.Rotate("enc-b");

        // Row 15 in key order gets row 14's ciphertext.
        List<Guid> ordered;
        await using (NpgsqlConnection connection = new(connectionString))
        {
            await connection.OpenAsync();
            ordered = new List<Guid>();
            await using (var select = new NpgsqlCommand("SELECT \"Id\" FROM \"Patients\" ORDER BY \"Id\"", connection))
            await using (NpgsqlDataReader reader = await select.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ordered.Add(reader.GetGuid(0));
                }
            }

            await using var copy = new NpgsqlCommand(
                "UPDATE \"Patients\" SET \"Ssn_ciphertext\" = (SELECT \"Ssn_ciphertext\" FROM \"Patients\" WHERE \"Id\" = @from) WHERE \"Id\" = @to", connection);
            copy.Parameters.AddWithValue("from", ordered[14]);
            copy.Parameters.AddWithValue("to", ordered[15]);
            await copy.ExecuteNonQueryAsync();
        }

        await using ClinicDb db = keys.CreateContext(connectionString);
        var job = new EncryptedColumnReEncryptionJob<Patient>(db, options: new ReEncryptionJobOptions { BatchSize = 10 });
        CiphertextAuthenticationException error = await Assert.ThrowsAsync<CiphertextAuthenticationException>(() => job.RunAsync());
        foreach ((string ssn, string? _) in expected.Values)
        {
            Assert.DoesNotContain(ssn, error.Message, StringComparison.Ordinal);
        }

        // The first batch (rows 0-9) committed; the second (10-19), with the bad row, rolled back entirely.
        Assert.Equal(10, await CountRowsUnderAsync(connectionString, "enc-b"));
    }

    private static async Task<Dictionary<Guid, (string Ssn, string? Diagnosis)>> SeedAsync(TestKeys keys, string connectionString, int rows = RowCount)
    {
        var expected = new Dictionary<Guid, (string, string?)>();
        await using ClinicDb db = keys.CreateContext(connectionString);
        await db.Database.EnsureCreatedAsync();
        for (int i = 0; i < rows; i++)
        {
            var patient = new Patient
            {
                Name = "Patient " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Ssn = EncryptedColumnTests.RandomSsn(),
                Diagnosis = i % 3 == 0 ? null : "Diagnosis " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            db.Patients.Add(patient);
            expected[patient.Id] = (patient.Ssn, patient.Diagnosis);
        }

        await db.SaveChangesAsync();
        return expected;
    }

    /// <summary>Rows whose SSN and (when present) diagnosis ciphertexts both name the key.</summary>
    private static async Task<int> CountRowsUnderAsync(string connectionString, string keyId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Ssn_ciphertext\", \"Diagnosis_ciphertext\" FROM \"Patients\"", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        int count = 0;
        while (await reader.ReadAsync())
        {
            bool ssn = FieldEncryptor.ReadHeader((byte[])reader[0]).KeyId == keyId;
            bool diagnosis = reader.IsDBNull(1) || FieldEncryptor.ReadHeader((byte[])reader[1]).KeyId == keyId;
            count += ssn && diagnosis ? 1 : 0;
        }

        return count;
    }

    private sealed class SynchronousProgress(Action<ReEncryptionJobProgress> report) : IProgress<ReEncryptionJobProgress>
    {
        public void Report(ReEncryptionJobProgress value) => report(value);
    }

    private sealed class FailingCheckpointStore(IReEncryptionCheckpointStore inner, int failOnSave) : IReEncryptionCheckpointStore
    {
        private int _saves;

        public Task EnsureCreatedAsync(DbConnection connection, CancellationToken cancellationToken) => inner.EnsureCreatedAsync(connection, cancellationToken);

        public Task<ReEncryptionCheckpoint?> LoadAsync(string jobName, DbTransaction transaction, CancellationToken cancellationToken) =>
            inner.LoadAsync(jobName, transaction, cancellationToken);

        public Task SaveAsync(ReEncryptionCheckpoint checkpoint, DbTransaction transaction, CancellationToken cancellationToken) =>
            ++_saves == failOnSave ? throw new InvalidOperationException("simulated crash") : inner.SaveAsync(checkpoint, transaction, cancellationToken);

        public Task DeleteAsync(string jobName, DbTransaction transaction, CancellationToken cancellationToken) => inner.DeleteAsync(jobName, transaction, cancellationToken);
    }
}
