using System;
using System.Buffers.Binary;
using System.Globalization;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// The context a field ciphertext is bound to, for example the table, column and row key of the value.
/// It is authenticated as AES-GCM associated data but not stored: decrypting with any other context
/// fails with <see cref="CiphertextAuthenticationException"/>, so a ciphertext copied into another row,
/// column or table does not decrypt there.
/// </summary>
/// <remarks>
/// <para>
/// The parts are encoded unambiguously, never concatenated as text: a 16-bit big-endian part count,
/// then for each part a 32-bit big-endian byte length and the UTF-8 bytes. So
/// <c>("ab", "c")</c> and <c>("a", "bc")</c> differ, and so do <c>("a")</c> and <c>("a", "")</c>.
/// </para>
/// <para>
/// Bind to what identifies the value's place and never changes: a surrogate primary key rather than a
/// natural key that can be edited. A context is not secret, but it may contain a row key, so
/// <see cref="ToString"/> shows only the number of parts. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class EncryptionContext
{
    /// <summary>The maximum number of parts.</summary>
    public const int MaximumPartCount = ushort.MaxValue;

    private readonly byte[] _encoded;

    private EncryptionContext(string[] parts)
    {
        if (parts.Length > MaximumPartCount)
        {
            throw new ArgumentException(CryptoHelpers.FormatInvariant($"An encryption context has at most {MaximumPartCount} parts."), nameof(parts));
        }

        int size = 2;
        for (int i = 0; i < parts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(parts[i], nameof(parts));
            size = checked(size + CryptoHelpers.GetLengthPrefixedSize(parts[i], nameof(parts)));
        }

        _encoded = new byte[size];
        BinaryPrimitives.WriteUInt16BigEndian(_encoded, (ushort)parts.Length);
        int offset = 2;
        foreach (string part in parts)
        {
            offset += CryptoHelpers.WriteLengthPrefixed(_encoded.AsSpan(offset), part);
        }

        PartCount = parts.Length;
    }

    /// <summary>
    /// Gets the empty context (no parts). A ciphertext made with it decrypts anywhere its key is known;
    /// prefer <see cref="ForField(string, string, string)"/> for stored values.
    /// </summary>
    public static EncryptionContext None { get; } = new(Array.Empty<string>());

    /// <summary>Gets the number of parts.</summary>
    public int PartCount { get; }

    internal ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>Creates the context of one stored value: its table, column and row key.</summary>
    /// <param name="table">The table (or collection, or entity type) name.</param>
    /// <param name="column">The column (or property) name.</param>
    /// <param name="rowKey">The immutable key of the row, for example the surrogate primary key.</param>
    /// <returns>The context <c>(table, column, rowKey)</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An argument contains an unpaired surrogate.</exception>
    public static EncryptionContext ForField(string table, string column, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(rowKey);
        return new EncryptionContext([table, column, rowKey]);
    }

    /// <summary>Creates the context of one stored value whose row key is a <see cref="Guid"/>.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="column">The column name.</param>
    /// <param name="rowKey">The row key, encoded in the "D" format (lowercase, with hyphens).</param>
    /// <returns>The context <c>(table, column, rowKey.ToString("D"))</c>.</returns>
    public static EncryptionContext ForField(string table, string column, Guid rowKey) =>
        ForField(table, column, rowKey.ToString("D", CultureInfo.InvariantCulture));

    /// <summary>Creates the context of one stored value whose row key is an integer.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="column">The column name.</param>
    /// <param name="rowKey">The row key, encoded in invariant decimal digits.</param>
    /// <returns>The context <c>(table, column, rowKey.ToString(InvariantCulture))</c>.</returns>
    public static EncryptionContext ForField(string table, string column, long rowKey) =>
        ForField(table, column, rowKey.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Creates a context bound to a column but not to a row, for values whose row key is not known when
    /// they are encrypted (for example a database-generated identity). A value can then be copied between
    /// rows of the same column undetected; prefer <see cref="ForField(string, string, string)"/>.
    /// </summary>
    /// <param name="table">The table name.</param>
    /// <param name="column">The column name.</param>
    /// <returns>The context <c>(table, column)</c>.</returns>
    public static EncryptionContext ForColumn(string table, string column)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(column);
        return new EncryptionContext([table, column]);
    }

    /// <summary>Creates a context from any number of parts, in order.</summary>
    /// <param name="parts">The parts; none may be <see langword="null"/>. The array is not kept.</param>
    /// <returns>The context. <c>FromParts(t, c, r)</c> equals <c>ForField(t, c, r)</c>.</returns>
    public static EncryptionContext FromParts(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return new EncryptionContext((string[])parts.Clone());
    }

    /// <summary>Returns the number of parts, and not their values, which may include a row key.</summary>
    /// <returns>A description such as <c>EncryptionContext (3 parts)</c>.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant($"EncryptionContext ({PartCount} parts)");
}
