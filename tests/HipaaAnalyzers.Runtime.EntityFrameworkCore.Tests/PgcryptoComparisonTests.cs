using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests.Infrastructure;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests;

/// <summary>
/// What the server keeps when the database encrypts with a key sent in the SQL (pgcrypto), against what it keeps when
/// the application encrypts. The excerpts are printed (and written to <c>pgcrypto-comparison.txt</c> next to the test
/// assembly) for docs/runtime/efcore.md.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PgcryptoComparisonTests
{
    private readonly PostgresServer _server;
    private readonly ITestOutputHelper _output;

    public PgcryptoComparisonTests(PostgresServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [Fact]
    public async Task Pgcrypto_with_the_key_in_the_sql_leaves_the_key_in_the_server_log_and_pg_stat_statements_application_side_encryption_leaves_ciphertext_only()
    {
        string database = _server.CreateDatabase("pgcrypto_comparison");
        string connectionString = _server.ConnectionString(database);
        string pgcryptoKey = "pgcrypto-key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        string ssnLiteral = EncryptedColumnTests.RandomSsn();
        string ssnParameter = EncryptedColumnTests.RandomSsn();
        string ssnMigration = EncryptedColumnTests.RandomSsn();
        string ssnApplication = EncryptedColumnTests.RandomSsn();
        var report = new StringBuilder();
        var keys = new TestKeys();
        await using (ClinicDb db = keys.CreateContext(connectionString))
        {
            await db.Database.EnsureCreatedAsync();
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS pgcrypto");
            await ExecuteAsync(connection, "CREATE TABLE pgcrypto_patients (id serial PRIMARY KEY, ssn bytea NOT NULL)");

            // 1. The usual pattern: the key interpolated into the SQL text ('${ENCRYPTION_KEY}').
            int offset = _server.ReadLog().Length;
            await ExecuteAsync(connection, $"INSERT INTO pgcrypto_patients (ssn) VALUES (pgp_sym_encrypt('{ssnLiteral}', '{pgcryptoKey}'))");
            string log = _server.ReadLogSince(offset);
            Section(report, "pgcrypto, key in the SQL text: server log", Excerpt(log, "pgp_sym_encrypt"));
            Assert.Contains(pgcryptoKey, log, StringComparison.Ordinal);
            Assert.Contains(ssnLiteral, log, StringComparison.Ordinal);

            // 2. The key as a bind parameter: out of the SQL text, but the server still receives it, and
            //    log_statement logs the parameters of every statement.
            offset = _server.ReadLog().Length;
            await using (var command = new NpgsqlCommand("INSERT INTO pgcrypto_patients (ssn) VALUES (pgp_sym_encrypt(@ssn, @key))", connection))
            {
                command.Parameters.AddWithValue("ssn", ssnParameter);
                command.Parameters.AddWithValue("key", pgcryptoKey);
                await command.ExecuteNonQueryAsync();
            }

            log = _server.ReadLogSince(offset);
            Section(report, "pgcrypto, key as a parameter: server log", Excerpt(log, "pgp_sym_encrypt"));
            Assert.Contains("parameters: $1 = '" + ssnParameter + "', $2 = '" + pgcryptoKey + "'", log, StringComparison.Ordinal);

            // 3. A migration-style block (a utility statement): pg_stat_statements keeps its text as sent.
            offset = _server.ReadLog().Length;
            await ExecuteAsync(connection, $"DO $$ BEGIN INSERT INTO pgcrypto_patients (ssn) VALUES (pgp_sym_encrypt('{ssnMigration}', '{pgcryptoKey}')); END $$");
            log = _server.ReadLogSince(offset);
            Section(report, "pgcrypto in a DO block: server log", Excerpt(log, "pgp_sym_encrypt"));
            Assert.Contains(pgcryptoKey, log, StringComparison.Ordinal);
        }

        List<string> pgcryptoStatements = _server.ReadStatementStatistics()
            .Where(q => q.Contains("pgp_sym_encrypt", StringComparison.Ordinal) && (q.StartsWith("INSERT", StringComparison.Ordinal) || q.StartsWith("DO", StringComparison.Ordinal)))
            .ToList();
        Section(report, "pgcrypto: pg_stat_statements", string.Join("\n", pgcryptoStatements));

        // The plain INSERT is normalized (constants become $1, $2), so the key is not kept there...
        Assert.Contains(pgcryptoStatements, q => q.Contains("pgp_sym_encrypt($1, $2)", StringComparison.Ordinal));
        // ...but the DO block is kept verbatim, key and SSN included.
        Assert.Contains(pgcryptoStatements, q => q.Contains(pgcryptoKey, StringComparison.Ordinal) && q.Contains(ssnMigration, StringComparison.Ordinal));

        // 4. This library: the application encrypts, the server receives a ciphertext.
        int applicationOffset = _server.ReadLog().Length;
        var patient = new Patient { Name = "Comparison", Ssn = ssnApplication };
        await using (ClinicDb db = keys.CreateContext(connectionString))
        {
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
        }

        string applicationLog = _server.ReadLogSince(applicationOffset);
        Section(report, "Application-side encryption (this library): server log", Excerpt(applicationLog, "INSERT INTO \"Patients\""));
        List<string> applicationStatements = _server.ReadStatementStatistics().Where(q => q.Contains("INSERT INTO \"Patients\"", StringComparison.Ordinal)).ToList();
        Section(report, "Application-side encryption: pg_stat_statements", string.Join("\n", applicationStatements));

        Assert.Contains("INSERT INTO \"Patients\"", applicationLog, StringComparison.Ordinal);
        Assert.Contains("parameters: $1 = ", applicationLog, StringComparison.Ordinal);
        Assert.Contains("'\\x01", applicationLog, StringComparison.Ordinal);   // a version-1 field ciphertext as bytea
        Assert.DoesNotContain(ssnApplication, applicationLog, StringComparison.Ordinal);
        Assert.NotEmpty(applicationStatements);
        Assert.All(applicationStatements, q => Assert.DoesNotContain(ssnApplication, q, StringComparison.Ordinal));
        string everything = _server.ReadLog() + string.Join("\n", _server.ReadStatementStatistics());
        byte[] everythingBytes = Encoding.UTF8.GetBytes(everything);
        foreach ((string form, byte[] key) in keys.KeyForms())
        {
            Assert.False(EncryptedColumnTests.Contains(everythingBytes, key), $"the application's key ({form}) reached the server");
        }

        string text = report.ToString();
        _output.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "pgcrypto-comparison.txt"), text);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The log lines of the statement that contains <paramref name="marker"/> and its DETAIL line, without the timestamp prefix.</summary>
    private static string Excerpt(string log, string marker)
    {
        string[] lines = log.Split('\n');
        var excerpt = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(marker, StringComparison.Ordinal))
            {
                excerpt.Add(StripPrefix(lines[i]));
                int next = i + 1;
                while (next < lines.Length && lines[next].Length > 0 && !char.IsAsciiDigit(lines[next][0]))
                {
                    excerpt.Add(lines[next++]);   // continuation lines of a multi-line statement
                }

                if (next < lines.Length && lines[next].Contains("DETAIL:", StringComparison.Ordinal))
                {
                    excerpt.Add(StripPrefix(lines[next]));
                }
            }
        }

        return string.Join("\n", excerpt);
    }

    private static string StripPrefix(string line)
    {
        int at = line.IndexOf(" LOG: ", StringComparison.Ordinal);
        at = at < 0 ? line.IndexOf(" DETAIL: ", StringComparison.Ordinal) : at;
        return at < 0 ? line : line[(at + 1)..];
    }

    private static void Section(StringBuilder report, string title, string body) =>
        report.Append("### ").AppendLine(title).AppendLine(body).AppendLine();
}
