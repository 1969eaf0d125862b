using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime;

/// <summary>How often active keys must be rotated, per purpose, for <see cref="KeyAgeCheck"/>.</summary>
public sealed class KeyRotationOptions
{
    /// <summary>
    /// Gets or sets the rotation period of the active encryption key. Default 90 days (quarterly), well
    /// within the AES-GCM limit of 2^32 random-nonce encryptions per key at typical write rates.
    /// <see langword="null"/> disables the check.
    /// </summary>
    public TimeSpan? EncryptionKeyRotationPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Gets or sets the rotation period of the active blind index key. Default <see langword="null"/> (not
    /// checked): rotating it means recomputing every blind index.
    /// </summary>
    public TimeSpan? BlindIndexKeyRotationPeriod { get; set; }

    /// <summary>
    /// Gets or sets the rotation period of the active pseudonymization key. Default <see langword="null"/>
    /// (not checked): rotating it breaks correlation with older log lines.
    /// </summary>
    public TimeSpan? PseudonymizationKeyRotationPeriod { get; set; }

    /// <summary>Gets or sets how long before the end of its period a key is reported as due soon. Default 14 days.</summary>
    public TimeSpan DueSoonWindow { get; set; } = TimeSpan.FromDays(14);

    internal TimeSpan? GetPeriod(KeyPurpose purpose) => purpose switch
    {
        KeyPurpose.Encryption => EncryptionKeyRotationPeriod,
        KeyPurpose.BlindIndex => BlindIndexKeyRotationPeriod,
        KeyPurpose.Pseudonymization => PseudonymizationKeyRotationPeriod,
        _ => null,
    };
}

/// <summary>The verdict of <see cref="KeyAgeCheck"/> on one key.</summary>
public enum KeyAgeStatus
{
    /// <summary>The key is younger than its rotation period minus the due-soon window.</summary>
    Current = 1,

    /// <summary>The key reaches its rotation period within the due-soon window: plan the rotation.</summary>
    DueSoon = 2,

    /// <summary>The key is older than its rotation period: rotate it.</summary>
    Overdue = 3,

    /// <summary>The key has no creation date, so its age cannot be checked.</summary>
    UnknownAge = 4,

    /// <summary>The key is not checked: it is staged or retired, or its purpose has no rotation period.</summary>
    NotChecked = 5,
}

/// <summary>The age of one key and the verdict on it.</summary>
public sealed class KeyAgeResult
{
    internal KeyAgeResult(DataKey key, DataKeyStatus status, TimeSpan? age, TimeSpan? rotationPeriod, KeyAgeStatus ageStatus)
    {
        KeyId = key.KeyId;
        Purpose = key.Purpose;
        Status = status;
        CreatedAt = key.CreatedAt;
        Age = age;
        RotationPeriod = rotationPeriod;
        AgeStatus = ageStatus;
    }

    /// <summary>Gets the key id.</summary>
    public string KeyId { get; }

    /// <summary>Gets the key's purpose.</summary>
    public KeyPurpose Purpose { get; }

    /// <summary>Gets the key's status in the ring.</summary>
    public DataKeyStatus Status { get; }

    /// <summary>Gets when the key was created, if known.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>Gets the key's age at the time of the check, if known.</summary>
    public TimeSpan? Age { get; }

    /// <summary>Gets the rotation period that applies, if any.</summary>
    public TimeSpan? RotationPeriod { get; }

    /// <summary>Gets the verdict.</summary>
    public KeyAgeStatus AgeStatus { get; }

    /// <summary>Returns the key id, purpose, age and verdict.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant(
        $"{KeyId} ({KeyPurposeNames.ToText(Purpose)}, {KeyPurposeNames.ToText(Status)}): {(Age is { } age ? ((int)age.TotalDays).ToString(CultureInfo.InvariantCulture) + " days old" : "age unknown")}, {AgeStatus}");
}

/// <summary>The result of one <see cref="KeyAgeCheck.Check"/>.</summary>
public sealed class KeyAgeReport
{
    internal KeyAgeReport(DateTimeOffset checkedAt, IReadOnlyList<KeyAgeResult> keys)
    {
        CheckedAt = checkedAt;
        Keys = keys;
    }

    /// <summary>Gets when the check ran.</summary>
    public DateTimeOffset CheckedAt { get; }

    /// <summary>Gets the verdict on every key of the ring.</summary>
    public IReadOnlyList<KeyAgeResult> Keys { get; }

    /// <summary>Gets a value indicating whether an active key is older than its rotation period.</summary>
    public bool HasOverdueKeys => Keys.Any(k => k.AgeStatus == KeyAgeStatus.Overdue);

    /// <summary>Gets a value indicating whether an active key reaches its rotation period soon.</summary>
    public bool HasKeysDueSoon => Keys.Any(k => k.AgeStatus == KeyAgeStatus.DueSoon);

    /// <summary>Returns a one-line summary.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant(
        $"KeyAgeReport ({Keys.Count} keys; {Keys.Count(k => k.AgeStatus == KeyAgeStatus.Overdue)} overdue, {Keys.Count(k => k.AgeStatus == KeyAgeStatus.DueSoon)} due soon)");
}

/// <summary>
/// Tells operators when an active key is older than its rotation period (by default 90 days for
/// encryption keys): <see cref="Check"/> returns a report and logs a warning per overdue key. Run it at
/// startup and on a schedule, or from a health check.
/// </summary>
/// <remarks>
/// Ages come from <see cref="DataKey.CreatedAt"/> and the injected <see cref="TimeProvider"/>. The report
/// and the log messages carry key ids, purposes and ages only.
/// </remarks>
public sealed partial class KeyAgeCheck
{
    private readonly IKeyRingProvider _keyRingProvider;
    private readonly KeyRotationOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="KeyAgeCheck"/> class.</summary>
    /// <param name="keyRingProvider">Supplies the key ring to check.</param>
    /// <param name="options">The rotation periods; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Receives the warnings; optional.</param>
    public KeyAgeCheck(IKeyRingProvider keyRingProvider, KeyRotationOptions? options = null, TimeProvider? timeProvider = null, ILogger<KeyAgeCheck>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(keyRingProvider);
        _keyRingProvider = keyRingProvider;
        _options = options ?? new KeyRotationOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Checks the age of every key of the current ring and logs what needs attention.</summary>
    /// <returns>The report.</returns>
    public KeyAgeReport Check()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        var results = new List<KeyAgeResult>();
        foreach (KeyRingEntry entry in _keyRingProvider.GetKeyRing().Entries)
        {
            DataKey key = entry.Key;
            TimeSpan? period = _options.GetPeriod(key.Purpose);
            TimeSpan? age = key.CreatedAt is { } created ? (now - created < TimeSpan.Zero ? TimeSpan.Zero : now - created) : null;
            KeyAgeStatus verdict;
            if (entry.Status != DataKeyStatus.Active || period is null)
            {
                verdict = KeyAgeStatus.NotChecked;
            }
            else if (age is null)
            {
                verdict = KeyAgeStatus.UnknownAge;
                Log.UnknownAge(_logger, key.KeyId, KeyPurposeNames.ToText(key.Purpose));
            }
            else if (age > period)
            {
                verdict = KeyAgeStatus.Overdue;
                Log.Overdue(_logger, key.KeyId, KeyPurposeNames.ToText(key.Purpose), (int)age.Value.TotalDays, (int)period.Value.TotalDays);
            }
            else if (age > period - _options.DueSoonWindow)
            {
                verdict = KeyAgeStatus.DueSoon;
                Log.DueSoon(_logger, key.KeyId, KeyPurposeNames.ToText(key.Purpose), (int)age.Value.TotalDays, (int)period.Value.TotalDays);
            }
            else
            {
                verdict = KeyAgeStatus.Current;
            }

            results.Add(new KeyAgeResult(key, entry.Status, age, period, verdict));
        }

        return new KeyAgeReport(now, results);
    }

    /// <summary>Returns a description; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "KeyAgeCheck: " + _keyRingProvider.GetKeyRing();

    private static partial class Log
    {
        [LoggerMessage(EventId = 7301, EventName = "KeyRotationOverdue", Level = LogLevel.Warning,
            Message = "The active {Purpose} key {KeyId} is {AgeDays} days old, older than its rotation period of {PeriodDays} days. Rotate it: see docs/runtime/key-rotation.md.")]
        public static partial void Overdue(ILogger logger, string keyId, string purpose, int ageDays, int periodDays);

        [LoggerMessage(EventId = 7302, EventName = "KeyRotationDueSoon", Level = LogLevel.Information,
            Message = "The active {Purpose} key {KeyId} is {AgeDays} days old; its rotation period of {PeriodDays} days ends soon. Plan the rotation: see docs/runtime/key-rotation.md.")]
        public static partial void DueSoon(ILogger logger, string keyId, string purpose, int ageDays, int periodDays);

        [LoggerMessage(EventId = 7303, EventName = "KeyAgeUnknown", Level = LogLevel.Warning,
            Message = "The active {Purpose} key {KeyId} has no creation date, so its age cannot be checked. Record the date in the key ring (for environment keys: id@yyyy-MM-dd:key).")]
        public static partial void UnknownAge(ILogger logger, string keyId, string purpose);
    }
}
