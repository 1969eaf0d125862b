using System;
using System.Collections.Generic;

namespace HipaaAnalyzers.Runtime;

/// <summary>The thresholds <see cref="BlindIndexPlanner"/> judges an index length by.</summary>
public sealed class BlindIndexPlannerOptions
{
    /// <summary>
    /// Gets or sets the most false positives a query may return and the index still count as useful.
    /// Default 1000 rows: each candidate row is decrypted and compared by the application.
    /// </summary>
    public double MaxFalsePositivesPerQuery { get; set; } = 1000;

    /// <summary>
    /// Gets or sets the largest share of the table a query may return as false positives and the index
    /// still count as useful. Default 0.01 (1 %).
    /// </summary>
    public double MaxFalsePositiveFraction { get; set; } = 0.01;

    /// <summary>
    /// Gets or sets the fewest possible plaintext values that must share each index value. Default 2: with
    /// fewer, an index value names one plaintext, and the index is a dictionary from index values to
    /// plaintexts for anyone who can learn the index of chosen values or knows the value distribution.
    /// </summary>
    public double MinValuesPerIndexValue { get; set; } = 2;
}

/// <summary>What a <see cref="BlindIndexWarning"/> is about.</summary>
public enum BlindIndexWarningKind
{
    /// <summary>The index is so short that a query returns too many false positives to be useful.</summary>
    TooShort = 1,

    /// <summary>
    /// The index is so long, for the size of the value domain, that index values map back to single
    /// plaintexts: a dictionary attack over the domain (for example every date of birth) recovers them.
    /// </summary>
    TooLong = 2,

    /// <summary>No length is both useful and safe: the domain is too small for the number of rows.</summary>
    NoSafeLength = 3,
}

/// <summary>A problem <see cref="BlindIndexPlanner"/> found with an index length.</summary>
public sealed class BlindIndexWarning
{
    internal BlindIndexWarning(BlindIndexWarningKind kind, string message)
    {
        Kind = kind;
        Message = message;
    }

    /// <summary>Gets what the warning is about.</summary>
    public BlindIndexWarningKind Kind { get; }

    /// <summary>Gets an explanation with the numbers and what to do.</summary>
    public string Message { get; }

    /// <summary>Returns the kind and the message.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Kind + ": " + Message;
}

/// <summary>The planner's assessment of one blind index length.</summary>
public sealed class BlindIndexPlan
{
    internal BlindIndexPlan(int bits, double domainSize, long rowCount, double falsePositives, double valuesPerIndexValue, int minimumBits, int? maximumBits, IReadOnlyList<BlindIndexWarning> warnings)
    {
        Bits = bits;
        DomainSize = domainSize;
        RowCount = rowCount;
        ExpectedFalsePositivesPerQuery = falsePositives;
        ValuesPerIndexValue = valuesPerIndexValue;
        MinimumUsefulBits = minimumBits;
        MaximumSafeBits = maximumBits;
        Warnings = warnings;
    }

    /// <summary>Gets the index length assessed, in bits.</summary>
    public int Bits { get; }

    /// <summary>Gets the number of distinct values the column can hold.</summary>
    public double DomainSize { get; }

    /// <summary>Gets the number of rows expected in the table.</summary>
    public long RowCount { get; }

    /// <summary>Gets the expected number of rows with a different value that match a query: rows / 2^bits.</summary>
    public double ExpectedFalsePositivesPerQuery { get; }

    /// <summary>Gets the expected number of possible values that share one index value: domain / 2^bits.</summary>
    public double ValuesPerIndexValue { get; }

    /// <summary>Gets the fewest bits that keep false positives within the limits.</summary>
    public int MinimumUsefulBits { get; }

    /// <summary>Gets the most bits that keep at least the minimum number of values per index value, or <see langword="null"/> when none can.</summary>
    public int? MaximumSafeBits { get; }

    /// <summary>Gets a recommended length: the shortest useful length when it is safe, otherwise <see langword="null"/>.</summary>
    public int? RecommendedBits => MaximumSafeBits is { } max && MinimumUsefulBits <= max ? MinimumUsefulBits : null;

    /// <summary>Gets the problems found; empty when the length is both useful and safe.</summary>
    public IReadOnlyList<BlindIndexWarning> Warnings { get; }

    /// <summary>Gets a value indicating whether the length is both useful and safe.</summary>
    public bool IsAcceptable => Warnings.Count == 0;

    /// <summary>Returns the numbers and the verdict.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant(
        $"BlindIndexPlan ({Bits} bits: {ExpectedFalsePositivesPerQuery:G3} false positives per query, {ValuesPerIndexValue:G3} values per index value; useful and safe range {MinimumUsefulBits}..{(MaximumSafeBits?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-")}; {(IsAcceptable ? "acceptable" : Warnings.Count + " warning(s)")})");
}

/// <summary>
/// Judges the length of a blind index: too short and every query returns a large part of the table; too
/// long for a small domain (a date of birth has about 36,500 values in a century) and each index value
/// names a single plaintext, so whoever can obtain the index of chosen values, or knows how the values are
/// distributed, reads the column like a dictionary.
/// </summary>
/// <remarks>
/// <para>
/// With <c>b</c> bits, <c>N</c> rows and a domain of <c>D</c> values: a query returns about
/// <c>N / 2^b</c> false positives, and each index value is shared by about <c>D / 2^b</c> possible values.
/// The useful lengths are those with <c>N / 2^b</c> at most <see cref="BlindIndexPlannerOptions.MaxFalsePositivesPerQuery"/>
/// and at most <see cref="BlindIndexPlannerOptions.MaxFalsePositiveFraction"/> of <c>N</c>; the safe lengths
/// are those with <c>D / 2^b</c> at least <see cref="BlindIndexPlannerOptions.MinValuesPerIndexValue"/>.
/// Several indexes on one column add up: plan their total bits. See <c>docs/runtime/blind-indexes.md</c>.
/// </para>
/// </remarks>
public static class BlindIndexPlanner
{
    /// <summary>Assesses an index length.</summary>
    /// <param name="bits">The index length, in bits (1 to 256).</param>
    /// <param name="domainSize">The number of distinct values the column can hold, for example 36,525 for dates of birth over a century, 10^9 for SSNs.</param>
    /// <param name="rowCount">The number of rows expected in the table.</param>
    /// <param name="options">The thresholds; defaults when <see langword="null"/>.</param>
    /// <returns>The assessment.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static BlindIndexPlan Plan(int bits, double domainSize, long rowCount, BlindIndexPlannerOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, BlindIndexDefinition.MaximumBits);
        if (!(domainSize >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(domainSize), "The domain size must be at least 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1L);
        options ??= new BlindIndexPlannerOptions();
        if (!(options.MaxFalsePositivesPerQuery >= 1) || !(options.MaxFalsePositiveFraction > 0) || !(options.MinValuesPerIndexValue >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The planner thresholds are out of range.");
        }

        double buckets = Math.Pow(2, bits);
        double falsePositives = rowCount / buckets;
        double valuesPerIndexValue = domainSize / buckets;
        double falsePositiveLimit = Math.Max(1, Math.Min(options.MaxFalsePositivesPerQuery, rowCount * options.MaxFalsePositiveFraction));

        int minimumBits = Math.Max(1, (int)Math.Ceiling(Math.Log2(rowCount / falsePositiveLimit) - 1e-9));
        double maxBitsExact = Math.Log2(domainSize / options.MinValuesPerIndexValue);
        int? maximumBits = maxBitsExact >= 1 ? Math.Min(BlindIndexDefinition.MaximumBits, (int)Math.Floor(maxBitsExact + 1e-9)) : null;

        var warnings = new List<BlindIndexWarning>();
        if (maximumBits is null || minimumBits > maximumBits)
        {
            warnings.Add(new BlindIndexWarning(
                BlindIndexWarningKind.NoSafeLength,
                CryptoHelpers.FormatInvariant(
                    $"No length is both useful and safe for {rowCount:N0} rows over a domain of {domainSize:N0} values: at least {minimumBits} bits are needed to keep false positives within {falsePositiveLimit:N0} per query, but more than {(maximumBits ?? 0)} bits leave fewer than {options.MinValuesPerIndexValue:G3} values per index value. Do not index this column alone; index it together with another column (a compound index), or search it another way.")));
        }

        if (falsePositives > falsePositiveLimit)
        {
            warnings.Add(new BlindIndexWarning(
                BlindIndexWarningKind.TooShort,
                CryptoHelpers.FormatInvariant(
                    $"A {bits}-bit index over {rowCount:N0} rows returns about {falsePositives:N0} false positives per query, more than {falsePositiveLimit:N0}: it is too short to be useful. Use at least {minimumBits} bits.")));
        }

        if (valuesPerIndexValue < options.MinValuesPerIndexValue)
        {
            warnings.Add(new BlindIndexWarning(
                BlindIndexWarningKind.TooLong,
                CryptoHelpers.FormatInvariant(
                    $"A {bits}-bit index over a domain of {domainSize:N0} values leaves {valuesPerIndexValue:G3} values per index value, fewer than {options.MinValuesPerIndexValue:G3}: index values map back to single plaintexts, and a dictionary of the domain recovers them. Use at most {(maximumBits is { } max ? max.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0")} bits.")));
        }

        return new BlindIndexPlan(bits, domainSize, rowCount, falsePositives, valuesPerIndexValue, minimumBits, maximumBits, warnings);
    }
}
