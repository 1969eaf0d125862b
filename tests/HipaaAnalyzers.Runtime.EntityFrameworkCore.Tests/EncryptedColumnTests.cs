using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests;

[Collection(PostgresCollection.Name)]
public sealed class EncryptedColumnTests : IAsyncLifetime
{
    private readonly PostgresServer _server;
    private readonly TestKeys _keys = new();
    private string _connectionString = "";

    public EncryptedColumnTests(PostgresServer server) => _server = server;

    public async Task InitializeAsync()
    {
        _connectionString = _server.ConnectionString(_server.CreateDatabase("encrypted_columns"));
        await using ClinicDb db = _keys.CreateContext(_connectionString);
        await db.Database.EnsureCreatedAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_plaintext_and_the_key_reach_neither_the_table_nor_the_server_log_nor_pg_stat_statements()
    {
        string ssn = RandomSsn();
        string diagnosis = "Diagnosis " + Guid.NewGuid().ToString("N");
        int logOffset = _server.ReadLog().Length;
        var patient = new Patient { Name = "Leak check", Ssn = ssn, Diagnosis = diagnosis, MedicalRecordNumber = "MRN-" + Guid.NewGuid().ToString("N") };
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
        }

        // Read it back through EF (decrypted) and as stored (ciphertext).
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            Patient read = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == patient.Id);
            Assert.Equal(ssn, read.Ssn);
            Assert.Equal(diagnosis, read.Diagnosis);
        }

        byte[] stored = await ReadColumnAsync(patient.Id, "Ssn_ciphertext");
        Assert.Equal(0x01, stored[0]);                                               // format version 1
        Assert.Equal("enc-1", Encoding.ASCII.GetString(stored, 2, stored[1]));       // key id, not secret
        Assert.Equal(Encoding.UTF8.GetByteCount(ssn) + 5 + 34, stored.Length);       // header + nonce + tag
        Assert.Equal("enc-1", FieldEncryptor.ReadHeader(stored).KeyId);
        Assert.False(Contains(stored, Encoding.UTF8.GetBytes(ssn)));

        // The table's file on disk holds the ciphertext (so this is the right file) and never the plaintext.
        string relation;
        await using (NpgsqlConnection connection = await OpenAsync())
        {
            PostgresServer.Execute(connection, "CHECKPOINT");
            await using var command = new NpgsqlCommand("SELECT pg_relation_filepath('\"Patients\"')", connection);
            relation = (string)(await command.ExecuteScalarAsync())!;
        }

        Dictionary<string, byte[]> files = _server.ReadDataFiles().ToDictionary(f => f.Path, f => f.Bytes);
        Assert.True(Contains(files[relation], stored), "the table file should contain the stored ciphertext");

        var plaintexts = new[] { ssn, ssn.Replace("-", "", StringComparison.Ordinal), diagnosis, patient.MedicalRecordNumber! };
        foreach ((string path, byte[] bytes) in files)
        {
            foreach (string plaintext in plaintexts)
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(plaintext)), $"plaintext found in {path}");
                Assert.False(Contains(bytes, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(plaintext)))), $"hex plaintext found in {path}");
            }

            foreach ((string form, byte[] key) in _keys.KeyForms())
            {
                Assert.False(Contains(bytes, key), $"key ({form}) found in {path}");
            }
        }

        // The server log has the statements, with the ciphertext as a parameter, and neither plaintext nor key.
        string log = _server.ReadLogSince(logOffset);
        Assert.Contains("INSERT INTO \"Patients\"", log, StringComparison.Ordinal);
        Assert.Contains("\\x" + Convert.ToHexStringLower(stored), log, StringComparison.Ordinal);
        AssertAbsent(log, plaintexts, "server log");

        // pg_stat_statements keeps the normalized statements, again without plaintext or key.
        string statistics = string.Join("\n", _server.ReadStatementStatistics());
        Assert.Contains("INSERT INTO \"Patients\"", statistics, StringComparison.Ordinal);
        AssertAbsent(statistics, plaintexts, "pg_stat_statements");
    }

    [Fact]
    public async Task Equality_search_goes_through_the_blind_index_and_returns_only_matching_rows()
    {
        string target = RandomSsn();
        var patients = new List<Patient>();
        for (int i = 0; i < 30; i++)
        {
            patients.Add(new Patient
            {
                Name = "Search " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Ssn = i is 3 or 17 ? target : RandomSsn(),
                MedicalRecordNumber = "MRN-search-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            db.Patients.AddRange(patients);
            await db.SaveChangesAsync();
        }

        int logOffset = _server.ReadLog().Length;
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            List<Patient> found = await db.Patients.WhereEncryptedEquals(p => p.Ssn, target).ToListAsync();
            Assert.Equal(new[] { patients[3].Id, patients[17].Id }.OrderBy(id => id), found.Select(p => p.Id).OrderBy(id => id));
            Assert.All(found, p => Assert.Equal(target, p.Ssn));

            // The normalizer makes "123456789" find "123-45-6789".
            List<Patient> normalized = await db.Patients.WhereEncryptedEquals(p => p.Ssn, target.Replace("-", "", StringComparison.Ordinal)).AsNoTracking().ToListAsync();
            Assert.Equal(2, normalized.Count);

            // Combined with a server-side condition.
            List<Patient> one = await db.Patients.WhereEncryptedEquals(p => p.Ssn, target).Where(p => p.Name == "Search 17").ToListAsync();
            Assert.Equal(patients[17].Id, Assert.Single(one).Id);

            Assert.Empty(await db.Patients.WhereEncryptedEquals(p => p.Ssn, RandomSsn()).ToListAsync());
        }

        string log = _server.ReadLogSince(logOffset);
        Assert.Contains("\"Ssn_bidx\" = $1", log, StringComparison.Ordinal);
        AssertAbsent(log, [target, target.Replace("-", "", StringComparison.Ordinal)], "server log");

        // A two-bit index: about a quarter of the rows share the searched index value; decryption weeds them out.
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            EncryptedEqualityQuery<Patient> query = db.Patients.WhereEncryptedEquals(p => p.MedicalRecordNumber, "MRN-search-5").AsNoTracking();
            int candidates = await query.Candidates.CountAsync();
            Patient match = Assert.Single(await query.ToListAsync());
            Assert.Equal(patients[5].Id, match.Id);
            Assert.True(candidates > 1, $"expected index collisions with a two-bit index, got {candidates} candidate(s)");
            Assert.Equal(patients[5].Id, Assert.Single(query.ToList()).Id);
        }
    }

    [Fact]
    public async Task A_ciphertext_copied_into_another_row_fails_to_decrypt_with_a_clear_error()
    {
        var victim = new Patient { Name = "Victim", Ssn = RandomSsn() };
        var source = new Patient { Name = "Source", Ssn = RandomSsn() };
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            db.Patients.AddRange(victim, source);
            await db.SaveChangesAsync();
        }

        // Someone with write access to the table, but no key, moves one patient's SSN into another's row.
        await using (NpgsqlConnection connection = await OpenAsync())
        {
            await using var command = new NpgsqlCommand(
                "UPDATE \"Patients\" SET \"Ssn_ciphertext\" = (SELECT \"Ssn_ciphertext\" FROM \"Patients\" WHERE \"Id\" = @source) WHERE \"Id\" = @victim", connection);
            command.Parameters.AddWithValue("source", source.Id);
            command.Parameters.AddWithValue("victim", victim.Id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            FieldEncryptionException error = await Assert.ThrowsAsync<FieldEncryptionException>(() => db.Patients.SingleAsync(p => p.Id == victim.Id));
            Assert.IsType<CiphertextAuthenticationException>(error.InnerException);
            Assert.Contains("Patient.Ssn", error.Message, StringComparison.Ordinal);
            Assert.Contains("Patients.Ssn_ciphertext", error.Message, StringComparison.Ordinal);
            Assert.Contains("copied from another row", error.Message, StringComparison.Ordinal);
            foreach (string secret in new[] { victim.Ssn, source.Ssn })
            {
                Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
            }

            foreach ((string _, byte[] key) in _keys.KeyForms().Where(k => k.Form != "raw"))
            {
                Assert.DoesNotContain(Encoding.ASCII.GetString(key), error.ToString(), StringComparison.Ordinal);
            }

            // The source row itself still reads.
            Assert.Equal(source.Ssn, (await db.Patients.SingleAsync(p => p.Id == source.Id)).Ssn);
        }
    }

    [Fact]
    public async Task Changes_are_encrypted_on_save_and_unchanged_values_are_not_rewritten()
    {
        var patient = new Patient { Name = "Before", Ssn = RandomSsn(), Diagnosis = "Flu" };
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
        }

        byte[] original = await ReadColumnAsync(patient.Id, "Ssn_ciphertext");
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            Patient tracked = await db.Patients.SingleAsync(p => p.Id == patient.Id);
            tracked.Name = "After";
            await db.SaveChangesAsync();
            Assert.Equal(original, await ReadColumnAsync(patient.Id, "Ssn_ciphertext"));   // only the name changed

            string newSsn = RandomSsn();
            tracked.Ssn = newSsn;
            tracked.Diagnosis = null;
            await db.SaveChangesAsync();
            Assert.NotEqual(original, await ReadColumnAsync(patient.Id, "Ssn_ciphertext"));
            Assert.Single(await db.Patients.WhereEncryptedEquals(p => p.Ssn, newSsn).AsNoTracking().ToListAsync());
            Assert.Empty(await db.Patients.WhereEncryptedEquals(p => p.Ssn, patient.Ssn).AsNoTracking().ToListAsync());
        }

        // Update() of a detached entity writes every column, the encrypted ones included.
        var detached = new Patient { Id = patient.Id, Name = "Detached", Ssn = RandomSsn(), Diagnosis = "Asthma" };
        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            db.Patients.Update(detached);
            await db.SaveChangesAsync();
        }

        await using (ClinicDb db = _keys.CreateContext(_connectionString))
        {
            Patient read = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == patient.Id);
            Assert.Equal(("Detached", detached.Ssn, "Asthma"), (read.Name, read.Ssn, read.Diagnosis));
        }
    }

    [Fact]
    public async Task A_string_ciphertext_written_before_typed_encodings_existed_still_decrypts_and_is_found_by_its_blind_index()
    {
        // Written by the integration when it encrypted strings only (key bytes 0..31 as enc-legacy, blind index key bytes
        // 32..63 as idx-legacy, no normalizer), read back from the table as they were stored.
        const string Ssn = "078-05-1120";
        const string Diagnosis = "Hypertension, stage 1";
        var id = Guid.Parse("0190a5f2-7c1e-7d3a-9b4f-2e6d8c0a1b35");
        byte[] ssnCiphertext = Convert.FromHexString(
            "010a656e632d6c6567616379d114fbbca01b25d6dbcbd43b63f43bb52990cc295a2308f3ac93cdd7c005f4efde6bd77e36bcf16f0c31a5");
        byte[] ssnIndex = Convert.FromHexString("789578");
        byte[] diagnosisCiphertext = Convert.FromHexString(
            "010a656e632d6c6567616379d114fbbc312006522cceedaa394d637c7b5fea708bf9802e1c98ae1debdc1c442949ce29f204697b1a24e94a7ca174f7e213fd9e64");

        var provider = new InMemoryKeyRingProvider(new KeyRing([
            new KeyRingEntry(DataKey.FromBytes("enc-legacy", KeyPurpose.Encryption, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()), DataKeyStatus.Active),
            new KeyRingEntry(DataKey.FromBytes("idx-legacy", KeyPurpose.BlindIndex, Enumerable.Range(32, 32).Select(i => (byte)i).ToArray()), DataKeyStatus.Active),
        ]));
        var interceptor = new FieldEncryptionInterceptor(new FieldEncryptor(provider), new BlindIndexer(provider));
        string connectionString = _server.ConnectionString(_server.CreateDatabase("legacy_strings"));
        ClinicDb Create() => new(new DbContextOptionsBuilder<ClinicDb>().UseNpgsql(connectionString).UseFieldEncryption(interceptor)
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.ManyServiceProvidersCreatedWarning)).Options);

        await using (ClinicDb db = Create())
        {
            await db.Database.EnsureCreatedAsync();
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO \"Patients\" (\"Id\", \"Name\", \"Ssn_ciphertext\", \"Ssn_bidx\", \"Diagnosis_ciphertext\") VALUES (@id, 'Legacy', @ssn, @index, @diagnosis)",
                connection);
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("ssn", ssnCiphertext);
            insert.Parameters.AddWithValue("index", ssnIndex);
            insert.Parameters.AddWithValue("diagnosis", diagnosisCiphertext);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using (ClinicDb db = Create())
        {
            Patient read = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == id);
            Assert.Equal((Ssn, Diagnosis), (read.Ssn, read.Diagnosis));
            Assert.Equal(id, Assert.Single(await db.Patients.WhereEncryptedEquals(p => p.Ssn, Ssn).ToListAsync()).Id);

            // A value written today for the same row and column is encrypted under the same context: it decrypts with
            // the three-part context the old ciphertexts use, and its index is the one stored before.
            Patient tracked = await db.Patients.SingleAsync(p => p.Id == id);
            tracked.Ssn = Ssn + " ";
            await db.SaveChangesAsync();
            tracked.Ssn = Ssn;
            await db.SaveChangesAsync();
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var select = new NpgsqlCommand("SELECT \"Ssn_ciphertext\", \"Ssn_bidx\" FROM \"Patients\" WHERE \"Id\" = @id", connection);
            select.Parameters.AddWithValue("id", id);
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            byte[] rewritten = (byte[])reader[0];
            Assert.NotEqual(ssnCiphertext, rewritten);
            Assert.Equal(ssnIndex, (byte[])reader[1]);
            Assert.Equal(Encoding.UTF8.GetBytes(Ssn), new FieldEncryptor(provider).Decrypt(rewritten, EncryptionContext.ForField("Patients", "Ssn_ciphertext", id)));
        }
    }

    [Fact]
    public void The_model_maps_ciphertext_and_blind_index_columns_and_no_plaintext_column()
    {
        using ClinicDb db = _keys.CreateContext(_connectionString);
        string ddl = db.Database.GenerateCreateScript();
        Assert.Contains("\"Ssn_ciphertext\" bytea NOT NULL", ddl, StringComparison.Ordinal);
        Assert.Contains("\"Ssn_bidx\" bytea NOT NULL", ddl, StringComparison.Ordinal);
        Assert.Contains("\"Diagnosis_ciphertext\" bytea,", ddl, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"IX_Patients_Ssn_bidx\"", ddl, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Ssn\"", ddl, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Diagnosis\"", ddl, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Diagnosis_bidx\"", ddl, StringComparison.Ordinal);
    }

    internal static string RandomSsn()
    {
        int area = RandomNumberGenerator.GetInt32(100, 900);
        int group = RandomNumberGenerator.GetInt32(10, 100);
        int serial = RandomNumberGenerator.GetInt32(1000, 10000);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{area}-{group}-{serial}");
    }

    internal static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private void AssertAbsent(string text, IEnumerable<string> plaintexts, string where)
    {
        foreach (string plaintext in plaintexts)
        {
            Assert.False(text.Contains(plaintext, StringComparison.Ordinal), $"plaintext found in the {where}");
            Assert.False(text.Contains(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(plaintext)), StringComparison.Ordinal), $"hex plaintext found in the {where}");
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text);
        foreach ((string form, byte[] key) in _keys.KeyForms())
        {
            Assert.False(Contains(bytes, key), $"key ({form}) found in the {where}");
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<byte[]> ReadColumnAsync(Guid id, string column)
    {
        await using NpgsqlConnection connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT \"{column}\" FROM \"Patients\" WHERE \"Id\" = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }
}
