using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore.Audit;

/// <summary>Options of <see cref="PostgresAuditSink"/>.</summary>
public sealed class PostgresAuditSinkOptions
{
    /// <summary>The default table name.</summary>
    public const string DefaultTable = "hipaa_audit_log";

    /// <summary>Gets or sets the table (<c>table</c> or <c>schema.table</c>; letters, digits and underscores). Default <see cref="DefaultTable"/>.</summary>
    public string Table { get; set; } = DefaultTable;

    /// <summary>Gets or sets the most events written in one transaction when writers queue up (group commit). Default 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// Gets or sets the key that signs checkpoint records, or <see langword="null"/> for no checkpoints. With a key, a
    /// checkpoint record follows the event whose seq reaches a multiple of <see cref="CheckpointInterval"/>.
    /// </summary>
    public AuditSigningKey? SigningKey { get; set; }

    /// <summary>Gets or sets how many records lie between two signed checkpoints. Default 1000.</summary>
    public int CheckpointInterval { get; set; } = 1000;

    /// <summary>Gets or sets the clock of checkpoint timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>
/// An append-only, tamper-evident audit sink in a PostgreSQL table: each row holds one record of the same hash chain
/// (and canonical serialization) as the file sink, so <see cref="AuditChainVerifier"/> checks a table exactly as it
/// checks a file (<see cref="Verify"/>).
/// </summary>
/// <remarks>
/// <para>
/// Appends are serialized across every process that writes to the table by a transaction-scoped advisory lock: the
/// writer takes the lock, reads the last record's seq and hash, inserts the next records and commits, which releases
/// the lock. Within a process, events that arrive while a transaction is running are written together in the next one
/// (group commit), so a burst costs one lock and one commit per batch rather than per event. <see cref="WriteAsync"/>
/// completes after the commit: with PostgreSQL's default <c>synchronous_commit = on</c> the event is durable then.
/// </para>
/// <para>
/// The table is protected three ways (see <see cref="CreateSchemaSql"/>): the application role may only SELECT and
/// INSERT; a trigger rejects UPDATE, DELETE and TRUNCATE even for the table owner; and whoever gets past both (a
/// superuser who disables the trigger) breaks the hash chain, which <see cref="Verify"/> reports with the seq of the
/// first broken record.
/// </para>
/// </remarks>
public sealed partial class PostgresAuditSink : IAuditSink
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresAuditSinkOptions _options;
    private readonly ILogger _logger;
    private readonly string _table;
    private readonly long _lockKey;
    private readonly object _gate = new();
    private List<Pending> _pending = new();
    private bool _flushing;

    /// <summary>Initializes a new instance of the <see cref="PostgresAuditSink"/> class.</summary>
    /// <param name="dataSource">Connects as the application role (SELECT and INSERT on the table).</param>
    /// <param name="options">The table, batch size and checkpoint key; optional.</param>
    /// <param name="logger">Receives write failures (counts and error types only); optional.</param>
    public PostgresAuditSink(NpgsqlDataSource dataSource, PostgresAuditSinkOptions? options = null, ILogger<PostgresAuditSink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _options = options ?? new PostgresAuditSinkOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _table = CheckIdentifier(_options.Table, nameof(options));
        if (_options.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PostgresAuditSinkOptions.MaxBatchSize must be at least 1.");
        }

        if (_options.CheckpointInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PostgresAuditSinkOptions.CheckpointInterval must be at least 1.");
        }

        _lockKey = LockKey(_table);
    }

    /// <summary>
    /// The DDL of the audit table: the table (the canonical record line, with read-only columns generated from it for
    /// queries), the trigger that rejects UPDATE, DELETE and TRUNCATE, and the grants (SELECT and INSERT only) of the
    /// application role. Run it as the table's owner, which must not be the application role.
    /// </summary>
    /// <param name="applicationRole">The role the application connects as.</param>
    /// <param name="table">The table; default <see cref="PostgresAuditSinkOptions.DefaultTable"/>.</param>
    /// <returns>The SQL script.</returns>
    public static string CreateSchemaSql(string applicationRole, string table = PostgresAuditSinkOptions.DefaultTable)
    {
        string t = CheckIdentifier(table, nameof(table));
        string role = CheckIdentifier(applicationRole, nameof(applicationRole));
        if (role.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException("A role name cannot contain a dot.", nameof(applicationRole));
        }

        string name = t[(t.LastIndexOf('.') + 1)..];
        return $"""
            CREATE TABLE IF NOT EXISTS {t} (
                seq         bigint      PRIMARY KEY,
                record      text        NOT NULL,   -- the canonical record line, exactly as hashed
                recorded_at timestamptz NOT NULL DEFAULT now(),
                kind        text GENERATED ALWAYS AS (coalesce(record::jsonb ->> 'type', 'event')) STORED,
                occurred_at text GENERATED ALWAYS AS (record::jsonb ->> 'timestamp') STORED,
                user_name   text GENERATED ALWAYS AS (record::jsonb ->> 'user') STORED,
                action      text GENERATED ALWAYS AS (record::jsonb ->> 'action') STORED,
                resource    text GENERATED ALWAYS AS (record::jsonb ->> 'resource') STORED,
                outcome     text GENERATED ALWAYS AS (record::jsonb ->> 'outcome') STORED,
                hash        text GENERATED ALWAYS AS (record::jsonb ->> 'hash') STORED,
                CONSTRAINT {name}_seq_matches_record CHECK (seq = (record::jsonb ->> 'seq')::bigint)
            );

            CREATE OR REPLACE FUNCTION {t}_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the audit table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$;

            DROP TRIGGER IF EXISTS {name}_append_only ON {t};
            CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {t}
                FOR EACH ROW EXECUTE FUNCTION {t}_reject_change();
            DROP TRIGGER IF EXISTS {name}_no_truncate ON {t};
            CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {t}
                FOR EACH STATEMENT EXECUTE FUNCTION {t}_reject_change();

            REVOKE ALL ON {t} FROM PUBLIC;
            REVOKE ALL ON {t} FROM {role};
            GRANT SELECT, INSERT ON {t} TO {role};
            """;
    }

    /// <summary>Runs <see cref="CreateSchemaSql"/> on a connection of the table's owner.</summary>
    /// <param name="ownerConnection">An open connection as the owner (not the application role).</param>
    /// <param name="applicationRole">The role the application connects as.</param>
    /// <param name="table">The table; default <see cref="PostgresAuditSinkOptions.DefaultTable"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    public static async Task CreateSchemaAsync(NpgsqlConnection ownerConnection, string applicationRole, string table = PostgresAuditSinkOptions.DefaultTable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ownerConnection);
        await using var command = new NpgsqlCommand(CreateSchemaSql(applicationRole, table), ownerConnection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies the table with <see cref="AuditChainVerifier"/>, the verifier of the file sink, over its rows in seq
    /// order: every record hashes to its hash, links to the one before, numbers follow without gaps, checkpoints verify.
    /// The rows are streamed, not loaded at once.
    /// </summary>
    /// <param name="connection">An open connection that may read the table.</param>
    /// <param name="table">The table; default <see cref="PostgresAuditSinkOptions.DefaultTable"/>.</param>
    /// <param name="options">Verification keys and trusted checkpoints; optional.</param>
    /// <returns>The result; <see cref="AuditVerificationResult.Failure"/> names the first broken record by seq and row number.</returns>
    public static AuditVerificationResult Verify(NpgsqlConnection connection, string table = PostgresAuditSinkOptions.DefaultTable, AuditVerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string t = CheckIdentifier(table, nameof(table));
        return AuditChainVerifier.Verify(ReadLines(connection, t), options);
    }

    /// <summary>
    /// Appends the event and completes once its transaction has committed. Cancelling stops the wait, not the write:
    /// an event already queued may still be recorded.
    /// </summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the event is stored.</returns>
    /// <exception cref="ArgumentException">The event cannot be recorded (for example a null user); the message names the member, never its value.</exception>
    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(auditEvent);
        bool flush;
        lock (_gate)
        {
            _pending.Add(pending);
            flush = !_flushing;
            _flushing = true;
        }

        if (flush)
        {
            // This caller writes everything queued until the queue is empty; the others wait for their batch.
            _ = FlushLoopAsync();
        }

        return new ValueTask(pending.Completion.Task.WaitAsync(cancellationToken));
    }

    /// <summary>Returns the table name.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "PostgresAuditSink: " + _table;

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                if (_pending.Count <= _options.MaxBatchSize)
                {
                    batch = _pending;
                    _pending = new List<Pending>();
                }
                else
                {
                    batch = _pending.GetRange(0, _options.MaxBatchSize);
                    _pending.RemoveRange(0, _options.MaxBatchSize);
                }
            }

            try
            {
                await AppendAsync(batch).ConfigureAwait(false);
                foreach (Pending pending in batch)
                {
                    pending.Completion.TrySetResult();
                }
            }
            catch (Exception exception)
            {
                Log.WriteFailed(_logger, batch.Count, _table, exception.GetType().Name);
                foreach (Pending pending in batch)
                {
                    pending.Completion.TrySetException(exception);
                }
            }
        }
    }

    private async Task AppendAsync(List<Pending> batch)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", _lockKey);
            await lockCommand.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        long lastSeq = 0;
        string lastHash = AuditChain.GenesisHash;
        await using (var head = new NpgsqlCommand($"SELECT seq, hash FROM {_table} ORDER BY seq DESC LIMIT 1", connection, transaction))
        await using (NpgsqlDataReader reader = await head.ExecuteReaderAsync().ConfigureAwait(false))
        {
            if (await reader.ReadAsync().ConfigureAwait(false))
            {
                lastSeq = reader.GetInt64(0);
                lastHash = reader.GetString(1);
            }
        }

        var writer = new AuditChainWriter(lastSeq, lastHash);
        var records = new List<AuditRecord>(batch.Count + 1);
        foreach (Pending pending in batch)
        {
            try
            {
                records.Add(writer.AppendEvent(pending.Event));
            }
            catch (ArgumentException exception)
            {
                // This event cannot be recorded (the message names the member, not the value); the others can.
                pending.Completion.TrySetException(exception);
                continue;
            }

            if (_options.SigningKey is { } key && writer.LastSeq % _options.CheckpointInterval == 0)
            {
                records.Add(writer.AppendCheckpoint(key, _options.TimeProvider.GetUtcNow()));
            }
        }

        if (records.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder($"INSERT INTO {_table} (seq, record) VALUES ");
        await using var insert = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        for (int i = 0; i < records.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"(@s{i}, @r{i})");
            insert.Parameters.Add(new NpgsqlParameter<long>("s" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Bigint) { TypedValue = records[i].Seq });
            insert.Parameters.Add(new NpgsqlParameter<string>("r" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text) { TypedValue = records[i].Line });
        }

        insert.CommandText = sql.ToString();
        await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private static IEnumerable<string> ReadLines(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand($"SELECT record FROM {table} ORDER BY seq", connection);
        using NpgsqlDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader.GetString(0);
        }
    }

    /// <summary>A 64-bit advisory lock key derived from the table name, the same in every process.</summary>
    private static long LockKey(string table)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("HipaaAnalyzers.Runtime/audit-append/" + table), hash);
        return BitConverter.ToInt64(hash);
    }

    private static string CheckIdentifier(string? value, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, parameter);
        string[] parts = value.Split('.');
        if (parts.Length > 2)
        {
            throw new ArgumentException("Use a name or schema.name.", parameter);
        }

        foreach (string part in parts)
        {
            if (part.Length == 0 || part.Length > 50 || char.IsAsciiDigit(part[0]))
            {
                throw new ArgumentException("A name must be 1 to 50 characters and not start with a digit.", parameter);
            }

            foreach (char c in part)
            {
                if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
                {
                    throw new ArgumentException("A name may contain only lowercase letters, digits and underscores (it is used unquoted in SQL).", parameter);
                }
            }
        }

        return value;
    }

    private sealed class Pending
    {
        public Pending(AuditEvent auditEvent) => Event = auditEvent;

        public AuditEvent Event { get; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7501, EventName = "PostgresAuditWriteFailed", Level = LogLevel.Error,
            Message = "Writing {Count} audit event(s) to {Table} failed ({ErrorType}); the callers get the exception.")]
        public static partial void WriteFailed(ILogger logger, int count, string table, string errorType);
    }
}
