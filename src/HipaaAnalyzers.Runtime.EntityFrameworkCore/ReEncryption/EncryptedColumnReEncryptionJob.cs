using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>Options of <see cref="EncryptedColumnReEncryptionJob{TEntity}"/>.</summary>
public sealed class ReEncryptionJobOptions
{
    /// <summary>Gets or sets the number of rows per batch (one transaction each). Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets the name the progress checkpoint is stored under. Default: <c>reencrypt:{table}</c>. Two runs
    /// over the same table with the same name continue each other.
    /// </summary>
    public string? JobName { get; set; }
}

/// <summary>The progress of a re-encryption job, counted over every run of the job since it started from the first row.</summary>
/// <param name="Batches">Batches committed.</param>
/// <param name="Rows">Rows examined.</param>
/// <param name="ReEncrypted">Values moved to the active key.</param>
/// <param name="AlreadyCurrent">Values that were under the active key already.</param>
/// <param name="Resumed">Whether this run continued from a checkpoint of an interrupted run.</param>
public readonly record struct ReEncryptionJobProgress(long Batches, long Rows, long ReEncrypted, long AlreadyCurrent, bool Resumed)
{
    /// <summary>Returns the counts.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Batches} batches, {Rows} rows: {ReEncrypted} values re-encrypted, {AlreadyCurrent} already current{(Resumed ? " (resumed)" : string.Empty)}");
}

/// <summary>
/// Moves every <see cref="EncryptedAttribute"/> column of one entity's table to the active encryption key after a key
/// rotation, in batches, resumably.
/// </summary>
/// <remarks>
/// <para>
/// Rows are read in primary key order with keyset pagination (<c>WHERE key &gt; @last ORDER BY key LIMIT n FOR
/// UPDATE</c>), so a batch costs the same at the start and at the end of a large table. Each batch runs in one
/// transaction: the values are re-encrypted by <see cref="FieldReEncryptor"/> (decrypt with whichever key of the ring
/// encrypted them, encrypt under the active key, check the new ciphertext decrypts to the same bytes), written, read
/// back from the table and decrypted again under the active key, and the checkpoint (the last key of the batch and the
/// counts) is saved in the same transaction before it commits. A run that stops, by an exception, a cancellation or a
/// crash, loses at most its current batch, which rolls back; the next run continues after the last committed batch.
/// </para>
/// <para>
/// A value that fails to decrypt stops the run with the runtime's exception (its batch rolls back, the checkpoint stays
/// before it). Messages and logs carry counts, key ids and table names, never values or keys. The entity type needs a
/// single-column primary key. Values are read and written with SQL on the context's connection, not through the change
/// tracker, so no decrypted entity is kept.
/// </para>
/// </remarks>
/// <typeparam name="TEntity">The entity type whose table is re-encrypted.</typeparam>
public sealed partial class EncryptedColumnReEncryptionJob<TEntity>
    where TEntity : class
{
    private readonly DbContext _context;
    private readonly IReEncryptionCheckpointStore _checkpoints;
    private readonly ReEncryptionJobOptions _options;
    private readonly ILogger _logger;
    private readonly FieldEncryptor _encryptor;
    private readonly EncryptedEntityPlan _plan;
    private readonly IProperty _key;
    private readonly string _jobName;
    private readonly string _selectFirst;
    private readonly string _selectAfter;
    private readonly string _update;

    /// <summary>Initializes a new instance of the <see cref="EncryptedColumnReEncryptionJob{TEntity}"/> class.</summary>
    /// <param name="context">A context configured with <c>UseFieldEncryption</c>; the job uses its connection.</param>
    /// <param name="checkpoints">Where progress is kept; default a table in the same database (<see cref="DatabaseReEncryptionCheckpointStore"/>).</param>
    /// <param name="options">Batch size and job name; optional.</param>
    /// <param name="logger">Receives progress (counts only); optional.</param>
    public EncryptedColumnReEncryptionJob(
        DbContext context,
        IReEncryptionCheckpointStore? checkpoints = null,
        ReEncryptionJobOptions? options = null,
        ILogger<EncryptedColumnReEncryptionJob<TEntity>>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _checkpoints = checkpoints ?? new DatabaseReEncryptionCheckpointStore();
        _options = options ?? new ReEncryptionJobOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (_options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ReEncryptionJobOptions.BatchSize must be at least 1.");
        }

        FieldEncryptionInterceptor interceptor = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?
            .OfType<FieldEncryptionInterceptor>().FirstOrDefault()
            ?? throw new InvalidOperationException($"The context {context.GetType().Name} does not use field encryption: call UseFieldEncryption(...) when configuring it.");
        IEntityType entityType = context.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not an entity type of {context.GetType().Name}.");
        _plan = interceptor.GetPlan(entityType)
            ?? throw new InvalidOperationException($"{entityType.DisplayName()} has no [Encrypted] property.");
        _encryptor = interceptor.Encryptor;
        if (_plan.KeyProperties.Count != 1)
        {
            throw new NotSupportedException($"{entityType.DisplayName()} has a composite primary key; the re-encryption job pages by a single-column key.");
        }

        _key = _plan.KeyProperties[0];
        _jobName = _options.JobName ?? "reencrypt:" + _plan.Table;

        ISqlGenerationHelper sql = context.GetService<ISqlGenerationHelper>();
        var store = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        string table = sql.DelimitIdentifier(store.Name, store.Schema);
        string key = sql.DelimitIdentifier(_key.GetColumnName(store)!);
        string columns = string.Join(", ", _plan.Members.Select(m => sql.DelimitIdentifier(m.Column)));
        _selectFirst = $"SELECT {key}, {columns} FROM {table} ORDER BY {key} LIMIT @limit FOR UPDATE";
        _selectAfter = $"SELECT {key}, {columns} FROM {table} WHERE {key} > @after ORDER BY {key} LIMIT @limit FOR UPDATE";
        _update = $"UPDATE {table} SET {string.Join(", ", _plan.Members.Select((m, i) => $"{sql.DelimitIdentifier(m.Column)} = @v{i}"))} WHERE {key} = @key";
    }

    /// <summary>
    /// Runs the job from its checkpoint (or from the first row) to the end of the table. On completion the checkpoint
    /// is deleted, so the next rotation's run starts from the first row.
    /// </summary>
    /// <param name="progress">Receives the counts after every committed batch; optional.</param>
    /// <param name="cancellationToken">Stops the run; the current batch rolls back.</param>
    /// <returns>The final counts.</returns>
    /// <exception cref="FieldEncryptionException">A stored value could not be decrypted; its batch rolled back.</exception>
    public async Task<ReEncryptionJobProgress> RunAsync(IProgress<ReEncryptionJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        DbConnection connection = _context.Database.GetDbConnection();
        bool opened = false;
        if (connection.State != ConnectionState.Open)
        {
            await _context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            opened = true;
        }

        try
        {
            await _checkpoints.EnsureCreatedAsync(connection, cancellationToken).ConfigureAwait(false);
            ReEncryptionCheckpoint? start;
            await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                start = await _checkpoints.LoadAsync(_jobName, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            bool resumed = start is not null;
            var state = start ?? new ReEncryptionCheckpoint(_jobName, null, 0, 0, 0, 0);
            Log.Started(_logger, _plan.Table, resumed);

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReEncryptionCheckpoint? next = await RunBatchAsync(connection, state, cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    break;
                }

                state = next;
                var current = new ReEncryptionJobProgress(state.Batches, state.Rows, state.ReEncrypted, state.AlreadyCurrent, resumed);
                progress?.Report(current);
                Log.Progress(_logger, _plan.Table, current.Batches, current.Rows, current.ReEncrypted, current.AlreadyCurrent);
            }

            await using (DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await _checkpoints.DeleteAsync(_jobName, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = new ReEncryptionJobProgress(state.Batches, state.Rows, state.ReEncrypted, state.AlreadyCurrent, resumed);
            Log.Finished(_logger, _plan.Table, result.Batches, result.Rows, result.ReEncrypted, result.AlreadyCurrent);
            return result;
        }
        finally
        {
            if (opened)
            {
                await _context.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Re-encrypts one batch in one transaction; <see langword="null"/> when no row is left.</summary>
    private async Task<ReEncryptionCheckpoint?> RunBatchAsync(DbConnection connection, ReEncryptionCheckpoint state, CancellationToken cancellationToken)
    {
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<Row>();
        await using (DbCommand select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            PrepareSelect(select, state.LastKey, _options.BatchSize);
            await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = new byte[]?[_plan.Members.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i + 1) ? null : (byte[])reader.GetValue(i + 1);
                }

                rows.Add(new Row(reader.GetValue(0), values));
            }
        }

        if (rows.Count == 0)
        {
            return null;
        }

        // FieldReEncryptor decrypts, re-encrypts and verifies each value, and hands over only those that moved.
        var fields = new List<(Row Row, int Member)>();
        foreach (Row row in rows)
        {
            for (int i = 0; i < _plan.Members.Length; i++)
            {
                if (row.Values[i] is not null)
                {
                    fields.Add((row, i));
                }
            }
        }

        var reEncryptor = new FieldReEncryptor(_encryptor);
        var changed = new HashSet<Row>(ReferenceEqualityComparer.Instance);
        ReEncryptionResult result = reEncryptor.ReEncrypt(
            fields,
            field => new EncryptedField(field.Row.Values[field.Member]!, Context(field.Row, field.Member)),
            (field, ciphertext) =>
            {
                field.Row.Values[field.Member] = ciphertext;
                changed.Add(field.Row);
            },
            options: new ReEncryptionOptions { ProgressInterval = int.MaxValue });

        foreach (Row row in changed)
        {
            await using DbCommand update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = _update;
            for (int i = 0; i < _plan.Members.Length; i++)
            {
                AddParameter(update, "@v" + i.ToString(CultureInfo.InvariantCulture), (object?)row.Values[i] ?? DBNull.Value, typeof(byte[]));
            }

            AddParameter(update, "@key", row.Key, _key.ClrType);
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new InvalidOperationException($"A row of {_plan.Table} locked by this batch could not be updated; the batch was rolled back.");
            }
        }

        await VerifyAsync(connection, transaction, state.LastKey, rows.Count, cancellationToken).ConfigureAwait(false);

        var next = new ReEncryptionCheckpoint(
            _jobName,
            EncryptedEntityPlan.FormatKey(rows[^1].Key),
            state.Batches + 1,
            state.Rows + rows.Count,
            state.ReEncrypted + result.Totals.ReEncrypted,
            state.AlreadyCurrent + result.Totals.AlreadyCurrent);
        await _checkpoints.SaveAsync(next, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>Reads the batch back inside its transaction and checks every value decrypts and is under the active key.</summary>
    private async Task VerifyAsync(DbConnection connection, DbTransaction transaction, string? after, int count, CancellationToken cancellationToken)
    {
        await using DbCommand select = connection.CreateCommand();
        select.Transaction = transaction;
        PrepareSelect(select, after, count);
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new Row(reader.GetValue(0), new byte[]?[_plan.Members.Length]);
            for (int i = 0; i < _plan.Members.Length; i++)
            {
                if (reader.IsDBNull(i + 1))
                {
                    continue;
                }

                byte[] stored = (byte[])reader.GetValue(i + 1);
                if (!_encryptor.IsEncryptedWithActiveKey(stored))
                {
                    throw new InvalidOperationException($"A value of {_plan.Table}.{_plan.Members[i].Column} read back after re-encryption is not under the active key; the batch was rolled back.");
                }

                byte[] plaintext = _encryptor.Decrypt(stored, Context(row, i));
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    private void PrepareSelect(DbCommand select, string? after, int limit)
    {
        select.CommandText = after is null ? _selectFirst : _selectAfter;
        if (after is not null)
        {
            AddParameter(select, "@after", ParseKey(after), _key.ClrType);
        }

        AddParameter(select, "@limit", limit, typeof(int));
    }

    private EncryptionContext Context(Row row, int member) =>
        _plan.CreateContext(_plan.Members[member], new[] { row.Key });

    private object ParseKey(string text)
    {
        Type type = Nullable.GetUnderlyingType(_key.ClrType) ?? _key.ClrType;
        if (type == typeof(string))
        {
            return text;
        }

        if (type == typeof(Guid))
        {
            return Guid.Parse(text, CultureInfo.InvariantCulture);
        }

        return Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, object value, Type type)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        parameter.DbType = DbTypeOf(Nullable.GetUnderlyingType(type) ?? type);
        command.Parameters.Add(parameter);
    }

    private static DbType DbTypeOf(Type type) =>
        type == typeof(Guid) ? DbType.Guid
        : type == typeof(long) ? DbType.Int64
        : type == typeof(int) ? DbType.Int32
        : type == typeof(short) ? DbType.Int16
        : type == typeof(byte[]) ? DbType.Binary
        : type == typeof(string) ? DbType.String
        : throw new NotSupportedException($"The re-encryption job pages by keys of type Guid, long, int, short or string, not {type.Name}.");

    private sealed class Row
    {
        public Row(object key, byte[]?[] values)
        {
            Key = key;
            Values = values;
        }

        public object Key { get; }

        public byte[]?[] Values { get; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7301, EventName = "ReEncryptionJobStarted", Level = LogLevel.Information,
            Message = "Re-encryption of {Table} started (resumed: {Resumed}).")]
        public static partial void Started(ILogger logger, string table, bool resumed);

        [LoggerMessage(EventId = 7302, EventName = "ReEncryptionJobProgress", Level = LogLevel.Information,
            Message = "Re-encryption of {Table}: {Batches} batches, {Rows} rows, {ReEncrypted} values re-encrypted, {AlreadyCurrent} already current.")]
        public static partial void Progress(ILogger logger, string table, long batches, long rows, long reEncrypted, long alreadyCurrent);

        [LoggerMessage(EventId = 7303, EventName = "ReEncryptionJobFinished", Level = LogLevel.Information,
            Message = "Re-encryption of {Table} finished: {Batches} batches, {Rows} rows, {ReEncrypted} values re-encrypted, {AlreadyCurrent} already current.")]
        public static partial void Finished(ILogger logger, string table, long batches, long rows, long reEncrypted, long alreadyCurrent);
    }
}
