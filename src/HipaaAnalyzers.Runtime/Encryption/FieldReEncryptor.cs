using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime;

/// <summary>A stored ciphertext and the context it was encrypted with, as read by a re-encryption job.</summary>
public readonly struct EncryptedField
{
    /// <summary>Initializes a new instance of the <see cref="EncryptedField"/> struct.</summary>
    /// <param name="ciphertext">The stored ciphertext.</param>
    /// <param name="context">The context it was encrypted with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public EncryptedField(ReadOnlyMemory<byte> ciphertext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Ciphertext = ciphertext;
        Context = context;
    }

    /// <summary>Gets the stored ciphertext.</summary>
    public ReadOnlyMemory<byte> Ciphertext { get; }

    /// <summary>Gets the context it was encrypted with.</summary>
    public EncryptionContext Context { get; }
}

/// <summary>Options of a re-encryption run.</summary>
public sealed class ReEncryptionOptions
{
    /// <summary>Gets or sets how many records pass between two progress reports. Default 1000.</summary>
    public int ProgressInterval { get; set; } = 1000;

    /// <summary>
    /// Gets or sets whether a record that fails to decrypt is counted and skipped (<see langword="true"/>)
    /// or stops the run by throwing (<see langword="false"/>, the default). Either way a record is only
    /// saved once its new ciphertext has been verified.
    /// </summary>
    public bool ContinueOnError { get; set; }

    /// <summary>Gets or sets how many failed record numbers <see cref="ReEncryptionResult.FailedRecordNumbers"/> keeps. Default 100.</summary>
    public int MaxRecordedFailures { get; set; } = 100;
}

/// <summary>The progress of a re-encryption run so far.</summary>
public readonly struct ReEncryptionProgress
{
    /// <summary>Initializes a new instance of the <see cref="ReEncryptionProgress"/> struct.</summary>
    /// <param name="processed">Records examined.</param>
    /// <param name="reEncrypted">Records moved to the active key and saved.</param>
    /// <param name="alreadyCurrent">Records already under the active key, left untouched.</param>
    /// <param name="failed">Records that could not be decrypted.</param>
    public ReEncryptionProgress(long processed, long reEncrypted, long alreadyCurrent, long failed)
    {
        Processed = processed;
        ReEncrypted = reEncrypted;
        AlreadyCurrent = alreadyCurrent;
        Failed = failed;
    }

    /// <summary>Gets the number of records examined.</summary>
    public long Processed { get; }

    /// <summary>Gets the number of records moved to the active key and saved.</summary>
    public long ReEncrypted { get; }

    /// <summary>Gets the number of records already under the active key.</summary>
    public long AlreadyCurrent { get; }

    /// <summary>Gets the number of records that could not be decrypted.</summary>
    public long Failed { get; }

    /// <summary>Returns the counts.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        CryptoHelpers.FormatInvariant($"{Processed} processed: {ReEncrypted} re-encrypted, {AlreadyCurrent} already current, {Failed} failed");
}

/// <summary>The outcome of a re-encryption run.</summary>
public sealed class ReEncryptionResult
{
    internal ReEncryptionResult(ReEncryptionProgress totals, string activeKeyId, IReadOnlyList<long> failedRecordNumbers)
    {
        Totals = totals;
        ActiveKeyId = activeKeyId;
        FailedRecordNumbers = failedRecordNumbers;
    }

    /// <summary>Gets the final counts.</summary>
    public ReEncryptionProgress Totals { get; }

    /// <summary>Gets the id of the active key when the run ended.</summary>
    public string ActiveKeyId { get; }

    /// <summary>
    /// Gets the zero-based positions, in the input sequence, of records that failed (up to
    /// <see cref="ReEncryptionOptions.MaxRecordedFailures"/>). Positions, not values: the runtime does not
    /// know which of a record's fields may be logged.
    /// </summary>
    public IReadOnlyList<long> FailedRecordNumbers { get; }

    /// <summary>Gets a value indicating whether every record is now under the active key.</summary>
    public bool IsComplete => Totals.Failed == 0;

    /// <summary>Returns the counts and the active key id.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Totals + ", active key '" + ActiveKeyId + "'";
}

/// <summary>
/// Moves stored ciphertexts to the active encryption key after a rotation: each record is decrypted with
/// whichever key of the ring encrypted it, encrypted again under the active key, verified by decrypting
/// the new ciphertext, and only then handed to the caller to save. Records already under the active key
/// are not touched, so a run can be stopped and started again at any point.
/// </summary>
/// <remarks>
/// Plaintexts stay inside the run and are zeroed after use; progress reports and logs carry counts and
/// key ids only. See the rotation runbook in <c>docs/runtime/key-rotation.md</c>.
/// </remarks>
public sealed partial class FieldReEncryptor
{
    private readonly FieldEncryptor _encryptor;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="FieldReEncryptor"/> class.</summary>
    /// <param name="encryptor">The encryptor whose key ring has the old keys and the new active key.</param>
    /// <param name="logger">Receives progress and failures (counts, positions and key ids only); optional.</param>
    public FieldReEncryptor(FieldEncryptor encryptor, ILogger<FieldReEncryptor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(encryptor);
        _encryptor = encryptor;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Re-encrypts the records of an asynchronous sequence, for example rows streamed from a database.</summary>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="records">The records to examine.</param>
    /// <param name="getField">Returns a record's ciphertext and context.</param>
    /// <param name="saveAsync">Stores the new ciphertext of a record; called only for records that moved.</param>
    /// <param name="progress">Receives progress every <see cref="ReEncryptionOptions.ProgressInterval"/> records and at the end; optional.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run between records.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="FieldEncryptionException">A record failed to decrypt and <see cref="ReEncryptionOptions.ContinueOnError"/> is off.</exception>
    public async Task<ReEncryptionResult> ReEncryptAsync<TRecord>(
        IAsyncEnumerable<TRecord> records,
        Func<TRecord, EncryptedField> getField,
        Func<TRecord, byte[], CancellationToken, ValueTask> saveAsync,
        IProgress<ReEncryptionProgress>? progress = null,
        ReEncryptionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(getField);
        ArgumentNullException.ThrowIfNull(saveAsync);
        var run = new Run(this, progress, options ?? new ReEncryptionOptions());
        await foreach (TRecord record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[]? updated = run.Process(getField(record));
            if (updated is not null)
            {
                await saveAsync(record, updated, cancellationToken).ConfigureAwait(false);
            }

            run.Completed(updated is not null);
        }

        return run.Finish();
    }

    /// <summary>Re-encrypts the records of a sequence.</summary>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="records">The records to examine.</param>
    /// <param name="getField">Returns a record's ciphertext and context.</param>
    /// <param name="save">Stores the new ciphertext of a record; called only for records that moved.</param>
    /// <param name="progress">Receives progress; optional.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="FieldEncryptionException">A record failed to decrypt and <see cref="ReEncryptionOptions.ContinueOnError"/> is off.</exception>
    public ReEncryptionResult ReEncrypt<TRecord>(
        IEnumerable<TRecord> records,
        Func<TRecord, EncryptedField> getField,
        Action<TRecord, byte[]> save,
        IProgress<ReEncryptionProgress>? progress = null,
        ReEncryptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(getField);
        ArgumentNullException.ThrowIfNull(save);
        var run = new Run(this, progress, options ?? new ReEncryptionOptions());
        foreach (TRecord record in records)
        {
            byte[]? updated = run.Process(getField(record));
            if (updated is not null)
            {
                save(record, updated);
            }

            run.Completed(updated is not null);
        }

        return run.Finish();
    }

    /// <summary>Returns a description; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "FieldReEncryptor: " + _encryptor;

    /// <summary>Decrypts, re-encrypts and verifies one value; <see langword="null"/> when it is already current.</summary>
    private byte[]? MoveToActiveKey(EncryptedField field)
    {
        ReadOnlySpan<byte> old = field.Ciphertext.Span;
        if (_encryptor.IsEncryptedWithActiveKey(old))
        {
            return null;
        }

        byte[] plaintext = _encryptor.Decrypt(old, field.Context);
        byte[]? check = null;
        try
        {
            byte[] updated = _encryptor.Encrypt(plaintext, field.Context);
            check = _encryptor.Decrypt(updated, field.Context);
            if (!CryptographicOperations.FixedTimeEquals(plaintext, check) || !_encryptor.IsEncryptedWithActiveKey(updated))
            {
                throw new InvalidOperationException("A re-encrypted value did not verify; it was not saved.");
            }

            return updated;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            if (check is not null)
            {
                CryptographicOperations.ZeroMemory(check);
            }
        }
    }

    private string ActiveKeyId()
    {
        try
        {
            return _encryptor.ActiveKeyIdOrNone();
        }
        catch (Exception exception) when (exception is FieldEncryptionException or PhiConfigurationException)
        {
            return "(unavailable)";
        }
    }

    /// <summary>The counters of one run.</summary>
    private sealed class Run
    {
        private readonly FieldReEncryptor _owner;
        private readonly IProgress<ReEncryptionProgress>? _progress;
        private readonly ReEncryptionOptions _options;
        private readonly List<long> _failedRecordNumbers = new();
        private long _processed;
        private long _reEncrypted;
        private long _alreadyCurrent;
        private long _failed;

        public Run(FieldReEncryptor owner, IProgress<ReEncryptionProgress>? progress, ReEncryptionOptions options)
        {
            if (options.ProgressInterval < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options), "ReEncryptionOptions.ProgressInterval must be at least 1.");
            }

            _owner = owner;
            _progress = progress;
            _options = options;
            Log.Started(owner._logger, owner.ActiveKeyId());
        }

        private ReEncryptionProgress Current => new(_processed, _reEncrypted, _alreadyCurrent, _failed);

        public byte[]? Process(EncryptedField field)
        {
            try
            {
                byte[]? updated = _owner.MoveToActiveKey(field);
                if (updated is null)
                {
                    _alreadyCurrent++;
                    Advance();
                }

                return updated;
            }
            catch (FieldEncryptionException exception) when (_options.ContinueOnError)
            {
                _failed++;
                if (_failedRecordNumbers.Count < _options.MaxRecordedFailures)
                {
                    _failedRecordNumbers.Add(_processed);
                }

                Log.RecordFailed(_owner._logger, _processed, exception.GetType().Name);
                Advance();
                return null;
            }
        }

        public void Completed(bool saved)
        {
            if (saved)
            {
                _reEncrypted++;
                Advance();
            }
        }

        public ReEncryptionResult Finish()
        {
            ReEncryptionProgress totals = Current;
            _progress?.Report(totals);
            string activeKeyId = _owner.ActiveKeyId();
            Log.Finished(_owner._logger, totals.Processed, totals.ReEncrypted, totals.AlreadyCurrent, totals.Failed, activeKeyId);
            return new ReEncryptionResult(totals, activeKeyId, _failedRecordNumbers.ToArray());
        }

        private void Advance()
        {
            _processed++;
            if (_processed % _options.ProgressInterval == 0)
            {
                ReEncryptionProgress current = Current;
                _progress?.Report(current);
                Log.Progress(_owner._logger, current.Processed, current.ReEncrypted, current.AlreadyCurrent, current.Failed);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7201, EventName = "ReEncryptionStarted", Level = LogLevel.Information,
            Message = "Re-encryption started; values move to the active key {ActiveKeyId}.")]
        public static partial void Started(ILogger logger, string activeKeyId);

        [LoggerMessage(EventId = 7202, EventName = "ReEncryptionProgress", Level = LogLevel.Information,
            Message = "Re-encryption: {Processed} processed, {ReEncrypted} re-encrypted, {AlreadyCurrent} already current, {Failed} failed.")]
        public static partial void Progress(ILogger logger, long processed, long reEncrypted, long alreadyCurrent, long failed);

        [LoggerMessage(EventId = 7203, EventName = "ReEncryptionRecordFailed", Level = LogLevel.Warning,
            Message = "Re-encryption: the record at position {RecordNumber} could not be decrypted ({ErrorType}); it was skipped.")]
        public static partial void RecordFailed(ILogger logger, long recordNumber, string errorType);

        [LoggerMessage(EventId = 7204, EventName = "ReEncryptionFinished", Level = LogLevel.Information,
            Message = "Re-encryption finished: {Processed} processed, {ReEncrypted} re-encrypted, {AlreadyCurrent} already current, {Failed} failed; active key {ActiveKeyId}.")]
        public static partial void Finished(ILogger logger, long processed, long reEncrypted, long alreadyCurrent, long failed, string activeKeyId);
    }
}
