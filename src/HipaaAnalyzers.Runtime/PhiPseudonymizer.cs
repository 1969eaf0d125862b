using System;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Turns values that are protected health information (PHI) into stable keyed pseudonyms, so that
/// the same patient can be correlated across log lines without revealing who the patient is.
/// </summary>
/// <remarks>
/// <para>
/// A token is <c>"phi_"</c> followed by the first 16 bytes of
/// HMAC-SHA256(key, UTF-8(text)) as 32 lowercase hexadecimal characters, where <c>text</c> is the
/// culture-invariant string form of the value (see <see cref="Pseudonymize(object)"/>). The same
/// value and the same key always give the same token; without the key a token cannot be linked back
/// to the value, not even by trying candidate values.
/// </para>
/// <para>
/// The key is copied on construction and never appears in <see cref="ToString"/>, exception messages
/// or logs. Use a key that is dedicated to pseudonymization and kept out of the stores that hold PHI
/// and logs: a key ring's active <see cref="KeyPurpose.Pseudonymization"/> key
/// (<see cref="PhiPseudonymizer(DataKey)"/>) is exactly that. Instances are immutable and safe to use
/// from many threads at once.
/// </para>
/// <para>
/// The same pseudonymizer backs <see cref="Phi.Pseudonymize(object)"/> (see
/// <see cref="Phi.UsePseudonymizer(PhiPseudonymizer)"/>) and the Microsoft.Extensions.Compliance redactor
/// <see cref="PhiPseudonymizingRedactor"/>, so logs written either way correlate.
/// </para>
/// </remarks>
public sealed class PhiPseudonymizer
{
    /// <summary>The minimum key length, in bytes (256 bits).</summary>
    public const int MinimumKeySizeInBytes = 32;

    internal const string TokenPrefix = "phi_";
    internal const string NullToken = "phi_null";
    internal const int TokenHashBytes = 16;
    internal const int TokenLength = 4 + (TokenHashBytes * 2);

    // Values up to this many UTF-8 bytes are encoded on the stack; longer ones use a pooled buffer.
    private const int StackBufferBytes = 512;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] _key;

    /// <summary>
    /// Initializes a new instance of the <see cref="PhiPseudonymizer"/> class with a secret key.
    /// </summary>
    /// <param name="key">
    /// The secret key, at least <see cref="MinimumKeySizeInBytes"/> bytes of cryptographically random
    /// data. The bytes are copied; later changes to the array do not affect this instance.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is shorter than 32 bytes.</exception>
    public PhiPseudonymizer(byte[] key)
        : this(new ReadOnlySpan<byte>(key ?? throw new ArgumentNullException(nameof(key))))
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="PhiPseudonymizer"/> class with a secret key.
    /// </summary>
    /// <param name="key">
    /// The secret key, at least <see cref="MinimumKeySizeInBytes"/> bytes of cryptographically random
    /// data. The bytes are copied.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is shorter than 32 bytes.</exception>
    public PhiPseudonymizer(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeySizeInBytes)
        {
            // Only the length is reported: the key bytes must never reach a message or a log.
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The pseudonymization key must be at least {MinimumKeySizeInBytes} bytes long; the supplied key is {key.Length} bytes long."),
                nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="PhiPseudonymizer"/> class with a key ring's
    /// pseudonymization key, for example <c>keyRing.GetActiveKey(KeyPurpose.Pseudonymization)</c>.
    /// </summary>
    /// <param name="key">
    /// A <see cref="KeyPurpose.Pseudonymization"/> key. Its material is used as the HMAC key as is, so a key
    /// read from <c>HIPAA_PSEUDONYMIZATION_KEY</c> gives the same tokens either way. It is copied.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a pseudonymization key.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="key"/> has been disposed.</exception>
    public PhiPseudonymizer(DataKey key)
        : this(GetPseudonymizationMaterial(key))
    {
    }

    /// <summary>
    /// Returns a stable pseudonym for <paramref name="value"/>: <c>"phi_"</c> followed by 32 lowercase
    /// hexadecimal characters, or <c>"phi_null"</c> when <paramref name="value"/> is
    /// <see langword="null"/>.
    /// </summary>
    /// <param name="value">
    /// The value to pseudonymize, typically an identifier such as a medical record number or an SSN.
    /// Pass the identifying value itself, not an object that contains it: an object without a
    /// meaningful <see cref="object.ToString"/> gives the same token for every instance.
    /// </param>
    /// <returns>The token; it contains no part of the value.</returns>
    /// <remarks>
    /// <para>
    /// The value is converted to text with the invariant culture, so the token does not depend on the
    /// current culture, and values of different types that have the same text (the number 42 and the
    /// string "42") give the same token. Dates use the round-trip ("O") format so that equal dates give
    /// equal tokens: a <see cref="DateTime"/> is formatted without its <see cref="DateTime.Kind"/>
    /// (as <see cref="DateTime.Equals(DateTime)"/> ignores it), a <see cref="DateTimeOffset"/> is
    /// converted to UTC first (as <see cref="DateTimeOffset.Equals(DateTimeOffset)"/> compares
    /// instants), and <see cref="DateOnly"/> and <see cref="TimeOnly"/> use their "O" format.
    /// </para>
    /// <para>The method is thread-safe.</para>
    /// </remarks>
    public string Pseudonymize(object? value)
    {
        if (value is null)
        {
            return NullToken;
        }

        string text = FormatInvariant(value);
        return ComputeToken(text);
    }

    /// <summary>Returns a description of this instance that does not reveal the key.</summary>
    /// <returns>A fixed description of the algorithm.</returns>
    public override string ToString() => "PhiPseudonymizer (HMAC-SHA256, key hidden)";

    internal static string FormatInvariant(object value)
    {
        return value switch
        {
            string s => s,
            DateTime dateTime => DateTime.SpecifyKind(dateTime, DateTimeKind.Unspecified).ToString("O", CultureInfo.InvariantCulture),
            DateTimeOffset dateTimeOffset => dateTimeOffset.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            DateOnly dateOnly => dateOnly.ToString("O", CultureInfo.InvariantCulture),
            TimeOnly timeOnly => timeOnly.ToString("O", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }

    /// <summary>
    /// Writes the token of <paramref name="text"/> (already in its invariant string form) to
    /// <paramref name="destination"/>, which must hold <see cref="TokenLength"/> characters.
    /// </summary>
    internal void WriteToken(ReadOnlySpan<char> text, Span<char> destination)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            ComputeMac(text, mac);
            TokenPrefix.AsSpan().CopyTo(destination);
            WriteLowerHex(mac.Slice(0, TokenHashBytes), destination.Slice(TokenPrefix.Length, TokenHashBytes * 2));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mac);
        }
    }

    private static ReadOnlySpan<byte> GetPseudonymizationMaterial(DataKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Purpose != KeyPurpose.Pseudonymization)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The key '{key.KeyId}' is a {KeyPurposeNames.ToText(key.Purpose)} key, not a pseudonymization key."),
                nameof(key));
        }

        return key.GetMaterial();
    }

    private string ComputeToken(string text)
    {
        Span<char> token = stackalloc char[TokenLength];
        WriteToken(text, token);
        return new string(token);
    }

    private void ComputeMac(ReadOnlySpan<char> text, Span<byte> mac)
    {
        byte[]? rented = null;
        int maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> buffer = maxBytes <= StackBufferBytes
            ? stackalloc byte[StackBufferBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));

        try
        {
            int length = Encoding.UTF8.GetBytes(text, buffer);
            HMACSHA256.HashData(_key, buffer.Slice(0, length), mac);
        }
        finally
        {
            // The buffer held PHI: clear it before it goes back to the stack or the pool.
            CryptographicOperations.ZeroMemory(buffer.Slice(0, Math.Min(maxBytes, buffer.Length)));
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void WriteLowerHex(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        const string Digits = "0123456789abcdef";
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = Digits[bytes[i] >> 4];
            destination[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }
    }
}
