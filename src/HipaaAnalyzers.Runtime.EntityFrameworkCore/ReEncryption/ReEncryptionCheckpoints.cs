using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore;

/// <summary>Where a re-encryption job stands: the last primary key of its last committed batch, and its counts.</summary>
/// <param name="JobName">The job name.</param>
/// <param name="LastKey">The last key processed, as text (a <see cref="Guid"/> in the "D" format, a number in invariant digits); <see langword="null"/> before the first batch.</param>
/// <param name="Batches">Batches committed.</param>
/// <param name="Rows">Rows examined.</param>
/// <param name="ReEncrypted">Values moved to the active key.</param>
/// <param name="AlreadyCurrent">Values already under the active key.</param>
public sealed record ReEncryptionCheckpoint(string JobName, string? LastKey, long Batches, long Rows, long ReEncrypted, long AlreadyCurrent)
{
    /// <summary>Returns the job name and counts; not the last key, which is a row identifier.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"ReEncryptionCheckpoint {JobName}: {Batches} batches, {Rows} rows, {ReEncrypted} re-encrypted, {AlreadyCurrent} already current");
}

/// <summary>
/// Keeps the progress of re-encryption jobs. The job passes the transaction of each batch, so a store in the same
/// database commits the checkpoint together with the batch; a store elsewhere may ignore it (after a crash between the
/// two, the last batch is examined again, and its values, already under the active key, are left as they are).
/// </summary>
public interface IReEncryptionCheckpointStore
{
    /// <summary>Creates the storage if needed; called once per run, outside any transaction.</summary>
    /// <param name="connection">The open connection of the job.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    Task EnsureCreatedAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Returns the checkpoint of a job, or <see langword="null"/> when it has none (never ran, or finished).</summary>
    /// <param name="jobName">The job name.</param>
    /// <param name="transaction">The job's transaction.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The checkpoint.</returns>
    Task<ReEncryptionCheckpoint?> LoadAsync(string jobName, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Stores the checkpoint of a job, replacing the previous one.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="transaction">The transaction of the batch it describes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    Task SaveAsync(ReEncryptionCheckpoint checkpoint, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Deletes the checkpoint of a finished job.</summary>
    /// <param name="jobName">The job name.</param>
    /// <param name="transaction">The job's transaction.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    Task DeleteAsync(string jobName, DbTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps re-encryption checkpoints in a table of the same PostgreSQL database
/// (<c>hipaa_reencryption_checkpoints</c> by default, created when missing), written in the batch's transaction.
/// </summary>
public sealed class DatabaseReEncryptionCheckpointStore : IReEncryptionCheckpointStore
{
    private readonly string _table;

    /// <summary>Initializes a new instance of the <see cref="DatabaseReEncryptionCheckpointStore"/> class.</summary>
    /// <param name="table">The table name (letters, digits and underscores; optionally <c>schema.table</c>).</param>
    public DatabaseReEncryptionCheckpointStore(string table = "hipaa_reencryption_checkpoints")
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        foreach (char c in table)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            {
                throw new ArgumentException("The checkpoint table name may contain only letters, digits, underscores and one dot.", nameof(table));
            }
        }

        _table = table;
    }

    /// <inheritdoc />
    public async Task EnsureCreatedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText =
            $"CREATE TABLE IF NOT EXISTS {_table} (job text PRIMARY KEY, last_key text, batches bigint NOT NULL, rows bigint NOT NULL, " +
            "re_encrypted bigint NOT NULL, already_current bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ReEncryptionCheckpoint?> LoadAsync(string jobName, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using DbCommand command = Command(transaction, $"SELECT last_key, batches, rows, re_encrypted, already_current FROM {_table} WHERE job = @job", jobName);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new ReEncryptionCheckpoint(
            jobName,
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.GetInt64(4));
    }

    /// <inheritdoc />
    public async Task SaveAsync(ReEncryptionCheckpoint checkpoint, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(transaction);
        await using DbCommand command = Command(
            transaction,
            $"INSERT INTO {_table} (job, last_key, batches, rows, re_encrypted, already_current, updated_at) " +
            "VALUES (@job, @last_key, @batches, @rows, @re_encrypted, @already_current, now()) " +
            "ON CONFLICT (job) DO UPDATE SET last_key = EXCLUDED.last_key, batches = EXCLUDED.batches, rows = EXCLUDED.rows, " +
            "re_encrypted = EXCLUDED.re_encrypted, already_current = EXCLUDED.already_current, updated_at = now()",
            checkpoint.JobName);
        Add(command, "@last_key", (object?)checkpoint.LastKey ?? DBNull.Value);
        Add(command, "@batches", checkpoint.Batches);
        Add(command, "@rows", checkpoint.Rows);
        Add(command, "@re_encrypted", checkpoint.ReEncrypted);
        Add(command, "@already_current", checkpoint.AlreadyCurrent);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string jobName, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using DbCommand command = Command(transaction, $"DELETE FROM {_table} WHERE job = @job", jobName);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the table name.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "DatabaseReEncryptionCheckpointStore: " + _table;

    private static DbCommand Command(DbTransaction transaction, string sql, string jobName)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        DbCommand command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Add(command, "@job", jobName);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
