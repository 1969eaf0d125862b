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

    [Fact]
    public async Task Typed_columns_are_re_encrypted_and_read_back_unchanged()
    {
        var keys = new TestKeys("enc-typed-old");
        string connectionString = _server.ConnectionString(_server.CreateDatabase("rotation_typed"));
        var records = new List<PatientRecord>();
        await using (RecordsDb db = keys.CreateContext<RecordsDb>(connectionString))
        {
            await db.Database.EnsureCreatedAsync();
            for (int i = 0; i < 25; i++)
            {
                records.Add(new PatientRecord
                {
                    Label = "typed " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    DateOfBirth = new DateOnly(1960, 1, 1).AddDays(i * 400),
                    DateOfDeath = i % 2 == 0 ? null : new DateOnly(2020, 1, 1).AddDays(i),
                    AdmittedAt = new DateTime(2024, 2, 29, 23, 0, 0, DateTimeKind.Utc).AddMinutes(i),
                    SeenAt = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.FromHours(-7)).AddMinutes(i),
                    ChartNumber = 70_000 + i,
                    Balance = -12.75m * i,
                    WeightKg = 60.5 + i,
                    HivPositive = i % 5 == 0,
                    NationalHealthId = Guid.NewGuid(),
                    Sex = (Sex)(i % 3),
                    Fingerprint = [(byte)i, 1, 2, 3],
                    Notes = i % 4 == 0 ? null : "note " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            }

            db.Records.AddRange(records);
            await db.SaveChangesAsync();
        }

        keys.Rotate("enc-typed-new");
        await using (RecordsDb db = keys.CreateContext<RecordsDb>(connectionString))
        {
            ReEncryptionJobProgress result = await new EncryptedColumnReEncryptionJob<PatientRecord>(db, options: new ReEncryptionJobOptions { BatchSize = 10 }).RunAsync();
            Assert.Equal((3L, 25L), (result.Batches, result.Rows));
            Assert.Equal(0, result.AlreadyCurrent);
            // 14 non-nullable properties per row, the 12 dates of death and the 18 notes that are not null.
            Assert.Equal((25 * 14) + 12 + 18, result.ReEncrypted);
        }

        keys.Provider.Update(keys.Provider.GetKeyRing().WithoutKey("enc-typed-old"));
        await using (RecordsDb db = keys.CreateContext<RecordsDb>(connectionString))
        {
            Dictionary<Guid, PatientRecord> read = await db.Records.AsNoTracking().ToDictionaryAsync(r => r.Id);
            foreach (PatientRecord expected in records)
            {
                PatientRecord actual = read[expected.Id];
                Assert.Equal(
                    (expected.DateOfBirth, expected.DateOfDeath, expected.AdmittedAt, expected.AdmittedAt.Kind, expected.SeenAt.UtcTicks, expected.SeenAt.Offset, expected.ChartNumber, expected.Balance, expected.WeightKg, expected.HivPositive, expected.NationalHealthId, expected.Sex, expected.Notes),
                    (actual.DateOfBirth, actual.DateOfDeath, actual.AdmittedAt, actual.AdmittedAt.Kind, actual.SeenAt.UtcTicks, actual.SeenAt.Offset, actual.ChartNumber, actual.Balance, actual.WeightKg, actual.HivPositive, actual.NationalHealthId, actual.Sex, actual.Notes));
                Assert.Equal(expected.Fingerprint, actual.Fingerprint);
            }

            PatientRecord any = records[12];
            Assert.Equal(any.Id, Assert.Single(await db.Records.WhereEncryptedEquals(r => r.DateOfBirth, any.DateOfBirth).ToListAsync()).Id);
        }
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
