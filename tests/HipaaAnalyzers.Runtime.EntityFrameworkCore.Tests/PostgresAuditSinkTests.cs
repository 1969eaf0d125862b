using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.EntityFrameworkCore.Audit;
using HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Tests;

/// <summary>
/// The audit table on a real server, with three roles: the superuser, the table's owner (runs the DDL) and the
/// application role (SELECT and INSERT only).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditSinkTests : IAsyncLifetime
{
    private const string OwnerRole = "audit_owner";
    private const string AppRole = "audit_app";
    private const string OwnerPassword = "owner-password-for-tests";
    private const string AppPassword = "app-password-for-tests";

    private readonly PostgresServer _server;
    private string _database = "";

    public PostgresAuditSinkTests(PostgresServer server) => _server = server;

    public async Task InitializeAsync()
    {
        _database = _server.CreateDatabase("audit");
        await using NpgsqlConnection superuser = _server.OpenConnection(_database);
        await ExecuteAsync(superuser, $"""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OwnerRole}') THEN CREATE ROLE {OwnerRole} LOGIN PASSWORD '{OwnerPassword}'; END IF;
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{AppRole}') THEN CREATE ROLE {AppRole} LOGIN PASSWORD '{AppPassword}'; END IF;
            END $$;
            GRANT CREATE, USAGE ON SCHEMA public TO {OwnerRole};
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Concurrent_writers_in_two_processes_build_one_unbroken_chain_verified_by_the_file_sinks_verifier()
    {
        const string table = "audit_concurrent";
        await CreateSchemaAsync(table);

        // Two sinks with their own connection pools stand for two application instances.
        await using NpgsqlDataSource first = AppDataSource();
        await using NpgsqlDataSource second = AppDataSource();
        var sinks = new[] { new PostgresAuditSink(first, new PostgresAuditSinkOptions { Table = table }), new PostgresAuditSink(second, new PostgresAuditSinkOptions { Table = table }) };
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => sinks[i % 2].WriteAsync(Event(i)).AsTask()));

        await using NpgsqlConnection app = await AppConnectionAsync();
        AuditVerificationResult result = PostgresAuditSink.Verify(app, table);
        Assert.True(result.IsValid, result.Failure?.ToString());
        Assert.Equal(200, result.EventCount);
        Assert.Equal(200, result.LastSeq);

        // The generated columns read the hashed record; every event is there once.
        await using var command = new NpgsqlCommand($"SELECT user_name, action, resource FROM {table} ORDER BY seq", app);
        var users = new List<string>();
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                users.Add(reader.GetString(0));
                Assert.Equal("viewed", reader.GetString(1));
            }
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => "user-" + i).OrderBy(u => u, StringComparer.Ordinal), users.OrderBy(u => u, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_application_role_cannot_update_delete_or_truncate_and_the_trigger_stops_even_the_owner()
    {
        const string table = "audit_append_only";
        await CreateSchemaAsync(table);
        await using (NpgsqlDataSource source = AppDataSource())
        {
            var sink = new PostgresAuditSink(source, new PostgresAuditSinkOptions { Table = table });
            for (int i = 0; i < 3; i++)
            {
                await sink.WriteAsync(Event(i));
            }
        }

        await using (NpgsqlConnection app = await AppConnectionAsync())
        {
            foreach (string sql in new[] { $"UPDATE {table} SET recorded_at = now()", $"DELETE FROM {table}", $"TRUNCATE {table}" })
            {
                PostgresException error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, sql));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
                Assert.Contains("permission denied", error.MessageText, StringComparison.Ordinal);
            }
        }

        await using (NpgsqlConnection owner = await OwnerConnectionAsync())
        {
            foreach ((string sql, string operation) in new[] { ($"UPDATE {table} SET recorded_at = now()", "UPDATE"), ($"DELETE FROM {table} WHERE seq = 2", "DELETE"), ($"TRUNCATE {table}", "TRUNCATE") })
            {
                PostgresException error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(owner, sql));
                Assert.Equal($"the audit table {table} is append-only: {operation} is not allowed", error.MessageText);
            }
        }

        // The generated columns cannot be written at all, and a row whose seq disagrees with its record is refused.
        await using (NpgsqlConnection app = await AppConnectionAsync())
        {
            await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, $"INSERT INTO {table} (seq, record, user_name) VALUES (99, '{{}}', 'x')"));
            PostgresException mismatch = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, $$"""INSERT INTO {{table}} (seq, record) VALUES (99, '{"seq":98}')"""));
            Assert.Equal(PostgresErrorCodes.CheckViolation, mismatch.SqlState);

            AuditVerificationResult result = PostgresAuditSink.Verify(app, table);
            Assert.True(result.IsValid, result.Failure?.ToString());
            Assert.Equal(3, result.RecordCount);
        }
    }

    [Fact]
    public async Task A_superuser_edit_past_the_trigger_breaks_the_chain_at_that_record()
    {
        const string table = "audit_tampered";
        await CreateSchemaAsync(table);
        await using (NpgsqlDataSource source = AppDataSource())
        {
            var sink = new PostgresAuditSink(source, new PostgresAuditSinkOptions { Table = table });
            for (int i = 1; i <= 10; i++)
            {
                await sink.WriteAsync(Event(i));
            }
        }

        await using NpgsqlConnection superuser = _server.OpenConnection(_database);
        Assert.True(PostgresAuditSink.Verify(superuser, table).IsValid);

        // Record 5 is rewritten to blame someone else; the trigger is disabled around the edit.
        await ExecuteAsync(superuser, $"""
            ALTER TABLE {table} DISABLE TRIGGER USER;
            UPDATE {table} SET record = replace(record, '"user":"user-5"', '"user":"someone-else"') WHERE seq = 5;
            ALTER TABLE {table} ENABLE TRIGGER USER;
            """);
        AuditVerificationResult edited = PostgresAuditSink.Verify(superuser, table);
        Assert.False(edited.IsValid);
        Assert.Equal(AuditVerificationFailureKind.Edited, edited.Failure!.Kind);
        Assert.Equal(5, edited.Failure.Seq);
        Assert.Equal(5, edited.Failure.LineNumber);
        Assert.DoesNotContain("someone-else", edited.Failure.Message, StringComparison.Ordinal);

        // Deleting record 8 instead (after restoring 5) leaves a gap.
        await ExecuteAsync(superuser, $"""
            ALTER TABLE {table} DISABLE TRIGGER USER;
            UPDATE {table} SET record = replace(record, '"user":"someone-else"', '"user":"user-5"') WHERE seq = 5;
            DELETE FROM {table} WHERE seq = 8;
            ALTER TABLE {table} ENABLE TRIGGER USER;
            """);
        AuditVerificationResult deleted = PostgresAuditSink.Verify(superuser, table);
        Assert.Equal(AuditVerificationFailureKind.Deleted, deleted.Failure!.Kind);
        Assert.Equal(8, deleted.Failure.Seq);
    }

    [Fact]
    public async Task Signed_checkpoints_go_into_the_chain_and_verify_with_the_public_key_only()
    {
        const string table = "audit_checkpoints";
        await CreateSchemaAsync(table);
        using AuditSigningKey signingKey = AuditSigningKey.Generate();
        await using (NpgsqlDataSource source = AppDataSource())
        {
            var sink = new PostgresAuditSink(source, new PostgresAuditSinkOptions { Table = table, SigningKey = signingKey, CheckpointInterval = 5 });
            for (int i = 1; i <= 12; i++)
            {
                await sink.WriteAsync(Event(i));
            }
        }

        await using NpgsqlConnection app = await AppConnectionAsync();
        AuditVerificationResult result = PostgresAuditSink.Verify(app, table, new AuditVerificationOptions { VerificationKeys = [signingKey.PublicKey] });
        Assert.True(result.IsValid, result.Failure?.ToString());
        Assert.Equal((12L, 2L), (result.EventCount, result.CheckpointCount));

        await using var kinds = new NpgsqlCommand($"SELECT seq FROM {table} WHERE kind = 'checkpoint' ORDER BY seq", app);
        var checkpoints = new List<long>();
        await using (NpgsqlDataReader reader = await kinds.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                checkpoints.Add(reader.GetInt64(0));
            }
        }

        Assert.Equal(new long[] { 6, 11 }, checkpoints);

        // Without the public key, a checkpoint cannot be trusted.
        AuditVerificationResult unknownKey = PostgresAuditSink.Verify(app, table);
        Assert.Equal(AuditVerificationFailureKind.SignatureInvalid, unknownKey.Failure?.Kind);
    }

    [Fact]
    public async Task An_event_that_cannot_be_recorded_fails_alone()
    {
        const string table = "audit_invalid";
        await CreateSchemaAsync(table);
        await using NpgsqlDataSource source = AppDataSource();
        var sink = new PostgresAuditSink(source, new PostgresAuditSinkOptions { Table = table });
        ValueTask good = sink.WriteAsync(Event(1));
        ValueTask bad = sink.WriteAsync(Event(2) with { User = null! });
        ValueTask alsoGood = sink.WriteAsync(Event(3));
        await good;
        await alsoGood;
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => bad.AsTask());
        Assert.Contains("User", error.Message, StringComparison.Ordinal);

        await using NpgsqlConnection app = await AppConnectionAsync();
        AuditVerificationResult result = PostgresAuditSink.Verify(app, table);
        Assert.True(result.IsValid, result.Failure?.ToString());
        Assert.Equal(2, result.EventCount);
    }

    private static AuditEvent Event(int i) => new()
    {
        Timestamp = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero).AddSeconds(i),
        User = "user-" + i,
        Action = AuditAction.Viewed,
        Resource = "/api/patients/" + i,
        Context = new AuditContext(Ip: "10.0.0." + (i % 250)),
    };

    private async Task CreateSchemaAsync(string table)
    {
        await using NpgsqlConnection owner = await OwnerConnectionAsync();
        await PostgresAuditSink.CreateSchemaAsync(owner, AppRole, table);
    }

    private NpgsqlDataSource AppDataSource() => NpgsqlDataSource.Create(_server.ConnectionString(_database, AppRole, AppPassword));

    private async Task<NpgsqlConnection> AppConnectionAsync()
    {
        var connection = new NpgsqlConnection(_server.ConnectionString(_database, AppRole, AppPassword));
        await connection.OpenAsync();
        return connection;
    }

    private async Task<NpgsqlConnection> OwnerConnectionAsync()
    {
        var connection = new NpgsqlConnection(_server.ConnectionString(_database, OwnerRole, OwnerPassword));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
