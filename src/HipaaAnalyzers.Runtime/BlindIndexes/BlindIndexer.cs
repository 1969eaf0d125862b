using System;
using System.Buffers;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime;

/// <summary>How one blind index is computed and how long it is.</summary>
public sealed class BlindIndexDefinition
{
    /// <summary>The longest index, in bits: the full HMAC-SHA256 output.</summary>
    public const int MaximumBits = 256;

    /// <summary>Initializes a new instance of the <see cref="BlindIndexDefinition"/> class.</summary>
    /// <param name="bits">
    /// The index length in bits (1 to 256); the HMAC is truncated to it. Choose it with
    /// <see cref="BlindIndexPlanner"/>: short enough that index values do not map back to single
    /// plaintexts, long enough to be selective.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is out of range.</exception>
    public BlindIndexDefinition(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaximumBits);
        Bits = bits;
    }

    /// <summary>Gets the index length, in bits.</summary>
    public int Bits { get; }

    /// <summary>
    /// Gets or sets the number of distinct values the column can hold (for example 36,525 for dates of birth
    /// over a century). With <see cref="ExpectedRows"/>, the planner checks the length when the column is
    /// set up and logs its warnings.
    /// </summary>
    public double? DomainSize { get; set; }

    /// <summary>Gets or sets the number of rows expected in the table; see <see cref="DomainSize"/>.</summary>
    public long? ExpectedRows { get; set; }

    /// <summary>
    /// Gets or sets how values are normalized before indexing, so that equal values in different spellings
    /// match (for example removing dashes from an SSN, or trimming and upper-casing a name). Applied to
    /// <see cref="BlindIndexColumn.Compute(string)"/> only. Default: none.
    /// </summary>
    public Func<string, string>? Normalizer { get; set; }
}

/// <summary>
/// Creates blind indexes: keyed HMAC-SHA256 values, truncated to a chosen length, that let an application
/// search an encrypted column for equality (<c>WHERE ssn_idx = @idx</c>) without decrypting it.
/// </summary>
/// <remarks>
/// <para>
/// Each column gets its own key, derived with HKDF-SHA256 from the ring's active blind index key
/// (<see cref="KeyPurpose.BlindIndex"/>) under the info <c>"HipaaAnalyzers.Runtime/v1/blind-index"</c>
/// followed by the length-prefixed table and column names, so indexes of the same value in two columns are
/// unrelated. Derived keys are cached in the root key and zeroed with it.
/// </para>
/// <para>
/// A blind index is deterministic: equal values have equal indexes, which is what makes search work and
/// what it leaks. Truncation makes different values share index values; <see cref="BlindIndexPlanner"/>
/// picks a length where that keeps the column from being read like a dictionary. Rotating the blind index
/// key means recomputing every index (see <see cref="BlindIndexColumn.ComputeForAllKeys(string)"/>).
/// </para>
/// </remarks>
public sealed partial class BlindIndexer
{
    private readonly IKeyRingProvider _keyRingProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="BlindIndexer"/> class.</summary>
    /// <param name="keyRingProvider">Supplies the blind index keys.</param>
    /// <param name="logger">Receives the planner's warnings (numbers and names only); optional.</param>
    public BlindIndexer(IKeyRingProvider keyRingProvider, ILogger<BlindIndexer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(keyRingProvider);
        _keyRingProvider = keyRingProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Sets up the blind index of one column. When the definition gives a domain size and a row count, the
    /// planner checks the length and logs a warning per problem (also in <see cref="BlindIndexColumn.Plan"/>).
    /// </summary>
    /// <param name="table">The table name; part of the key derivation.</param>
    /// <param name="column">The column name (or a name for a compound index); part of the key derivation.</param>
    /// <param name="definition">The length, normalization and planning inputs.</param>
    /// <returns>The column's indexer; cache it.</returns>
    public BlindIndexColumn ForColumn(string table, string column, BlindIndexDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(definition);

        BlindIndexPlan? plan = null;
        if (definition.DomainSize is { } domainSize && definition.ExpectedRows is { } rows)
        {
            plan = BlindIndexPlanner.Plan(definition.Bits, domainSize, rows);
            foreach (BlindIndexWarning warning in plan.Warnings)
            {
                Log.PlannerWarning(_logger, table, column, warning.Kind.ToString(), warning.Message);
            }
        }

        return new BlindIndexColumn(_keyRingProvider, table, column, definition, plan);
    }

    /// <summary>Returns a description; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "BlindIndexer (HMAC-SHA256, HKDF per column): " + _keyRingProvider.GetKeyRing();

    private static partial class Log
    {
        [LoggerMessage(EventId = 7401, EventName = "BlindIndexPlannerWarning", Level = LogLevel.Warning,
            Message = "Blind index {Table}.{Column}: {Kind}. {Explanation}")]
        public static partial void PlannerWarning(ILogger logger, string table, string column, string kind, string explanation);
    }
}

/// <summary>The blind index of one column, from <see cref="BlindIndexer.ForColumn"/>. Thread-safe.</summary>
public sealed class BlindIndexColumn
{
    private const int StackValueBytes = 512;

    private readonly IKeyRingProvider _keyRingProvider;
    private readonly Func<string, string>? _normalizer;
    private readonly byte[] _info;
    private readonly string _cacheKey;

    internal BlindIndexColumn(IKeyRingProvider keyRingProvider, string table, string column, BlindIndexDefinition definition, BlindIndexPlan? plan)
    {
        _keyRingProvider = keyRingProvider;
        Table = table;
        Column = column;
        Bits = definition.Bits;
        _normalizer = definition.Normalizer;
        Plan = plan;

        ReadOnlySpan<byte> label = CryptoHelpers.BlindIndexLabel;
        int size = label.Length + CryptoHelpers.GetLengthPrefixedSize(table, nameof(table)) + CryptoHelpers.GetLengthPrefixedSize(column, nameof(column));
        _info = new byte[size];
        label.CopyTo(_info);
        int offset = label.Length;
        offset += CryptoHelpers.WriteLengthPrefixed(_info.AsSpan(offset), table);
        CryptoHelpers.WriteLengthPrefixed(_info.AsSpan(offset), column);
        _cacheKey = "blind-index:" + Convert.ToBase64String(_info);
    }

    /// <summary>Gets the table name.</summary>
    public string Table { get; }

    /// <summary>Gets the column name.</summary>
    public string Column { get; }

    /// <summary>Gets the index length, in bits.</summary>
    public int Bits { get; }

    /// <summary>Gets the index length, in bytes: the bits rounded up; unused low-order bits of the last byte are zero.</summary>
    public int SizeInBytes => (Bits + 7) / 8;

    /// <summary>Gets the planner's assessment, when the definition gave a domain size and a row count.</summary>
    public BlindIndexPlan? Plan { get; }

    /// <summary>Computes the index of a text value (normalized first, then UTF-8 encoded) under the active blind index key.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The index, <see cref="SizeInBytes"/> bytes.</returns>
    /// <exception cref="PhiConfigurationException">The key ring has no active blind index key.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> contains an unpaired surrogate.</exception>
    public byte[] Compute(string value) => ComputeText(value, _keyRingProvider.GetKeyRing().GetRequiredActiveKey(KeyPurpose.BlindIndex));

    /// <summary>Computes the index of a binary value under the active blind index key (no normalization).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The index, <see cref="SizeInBytes"/> bytes.</returns>
    /// <exception cref="PhiConfigurationException">The key ring has no active blind index key.</exception>
    public byte[] Compute(ReadOnlySpan<byte> value) => ComputeBytes(value, _keyRingProvider.GetKeyRing().GetRequiredActiveKey(KeyPurpose.BlindIndex));

    /// <summary>Computes the index of a text value as lowercase hexadecimal, for text columns.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The index, 2 × <see cref="SizeInBytes"/> hexadecimal characters.</returns>
    public string ComputeHex(string value) => CryptoHelpers.ToLowerHex(Compute(value));

    /// <summary>
    /// Computes the index under every blind index key of the ring, the active one first. While indexes are
    /// being recomputed after a blind index key rotation, search with all of them
    /// (<c>WHERE idx IN (...)</c>).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>One index per blind index key.</returns>
    public IReadOnlyList<byte[]> ComputeForAllKeys(string value)
    {
        IReadOnlyList<DataKey> keys = _keyRingProvider.GetKeyRing().GetKeys(KeyPurpose.BlindIndex);
        var indexes = new byte[keys.Count][];
        for (int i = 0; i < keys.Count; i++)
        {
            indexes[i] = ComputeText(value, keys[i]);
        }

        return indexes;
    }

    /// <summary>
    /// Computes the index of a binary value (no normalization) under every blind index key of the ring, the active
    /// one first; the binary counterpart of <see cref="ComputeForAllKeys(string)"/>.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns>One index per blind index key.</returns>
    public IReadOnlyList<byte[]> ComputeForAllKeys(ReadOnlySpan<byte> value)
    {
        IReadOnlyList<DataKey> keys = _keyRingProvider.GetKeyRing().GetKeys(KeyPurpose.BlindIndex);
        var indexes = new byte[keys.Count][];
        for (int i = 0; i < keys.Count; i++)
        {
            indexes[i] = ComputeBytes(value, keys[i]);
        }

        return indexes;
    }

    /// <summary>Returns the table, column and length; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant($"BlindIndexColumn {Table}.{Column} ({Bits} bits)");

    private byte[] ComputeText(string value, DataKey root)
    {
        ArgumentNullException.ThrowIfNull(value);
        string normalized = _normalizer is null ? value : _normalizer(value) ?? throw new InvalidOperationException("The blind index normalizer returned null.");

        int byteCount;
        try
        {
            byteCount = CryptoHelpers.StrictUtf8.GetByteCount(normalized);
        }
        catch (EncoderFallbackException)
        {
            // The fallback exception quotes the offending character: never pass it on.
            throw new ArgumentException("The value contains an unpaired surrogate and cannot be encoded as UTF-8.", nameof(value));
        }

        byte[]? rented = null;
        Span<byte> buffer = byteCount <= StackValueBytes ? stackalloc byte[StackValueBytes] : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        buffer = buffer.Slice(0, byteCount);
        try
        {
            CryptoHelpers.StrictUtf8.GetBytes(normalized, buffer);
            return ComputeBytes(buffer, root);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private byte[] ComputeBytes(ReadOnlySpan<byte> value, DataKey root)
    {
        byte[] columnKey = root.GetDerivedKey(_cacheKey, _info);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            HMACSHA256.HashData(columnKey, value, mac);
            var index = mac.Slice(0, SizeInBytes).ToArray();
            int spareBits = (SizeInBytes * 8) - Bits;
            if (spareBits > 0)
            {
                index[^1] &= (byte)(0xFF << spareBits);
            }

            return index;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mac);
        }
    }
}
