using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// A secret data key of a <see cref="KeyRing"/>: the key that encrypts fields, derives blind index keys
/// or pseudonymizes values, depending on its <see cref="Purpose"/>. At rest it is wrapped by a master key
/// (see <see cref="IMasterKey"/> and <see cref="KeyRingFile"/>).
/// </summary>
/// <remarks>
/// <para>
/// The key material is copied into a pinned buffer on construction and zeroed by <see cref="Dispose"/>;
/// no public member returns it, and <see cref="ToString"/> shows only the non-secret
/// <see cref="KeyId"/>, purpose, creation date and <see cref="KeyCheckValue"/>.
/// </para>
/// <para>
/// An encryption key is not used for AES directly: the AES-256 key and the key check value are derived
/// from it with HKDF-SHA256 under distinct labels, so no key serves two algorithms. See
/// <c>docs/runtime/encryption.md</c>. Instances are immutable and thread-safe; whoever creates a key
/// (or the provider that loaded it) disposes it.
/// </para>
/// </remarks>
public sealed class DataKey : IDisposable
{
    /// <summary>The minimum key length, in bytes (256 bits).</summary>
    public const int MinimumKeySizeInBytes = 32;

    /// <summary>The maximum key length, in bytes.</summary>
    public const int MaximumKeySizeInBytes = 64;

    /// <summary>The length of keys made by <see cref="Generate"/>, in bytes (256 bits).</summary>
    public const int GeneratedKeySizeInBytes = 32;

    /// <summary>The maximum length of a key id, in characters.</summary>
    public const int MaximumKeyIdLength = 64;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] _material;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] _keyCheck;

    private readonly byte[] _keyIdBytes;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[]? _aesKey;

    private readonly AesGcmPool? _aesPool;
    private readonly byte[]? _headerPrefix;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly ConcurrentDictionary<string, byte[]> _derivedKeys = new(StringComparer.Ordinal);

    private int _disposed;

    private DataKey(string keyId, KeyPurpose purpose, ReadOnlySpan<byte> material, DateTimeOffset? createdAt)
    {
        KeyId = keyId;
        Purpose = purpose;
        CreatedAt = createdAt is { } created ? TruncateToSeconds(created) : null;
        _keyIdBytes = Encoding.ASCII.GetBytes(keyId);

        _material = CryptoHelpers.AllocateKeyBuffer(material.Length);
        material.CopyTo(_material);
        _keyCheck = new byte[CryptoHelpers.KeyCheckSizeInBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _material, _keyCheck, ReadOnlySpan<byte>.Empty, CryptoHelpers.KeyCheckLabel);
        KeyCheckValue = CryptoHelpers.ToLowerHex(_keyCheck);

        if (purpose == KeyPurpose.Encryption)
        {
            _aesKey = CryptoHelpers.DeriveKey(_material, CryptoHelpers.FieldEncryptionLabel, 32);
            _aesPool = new AesGcmPool(_aesKey);
            _headerPrefix = CiphertextFormat.CreateHeaderPrefix(_keyIdBytes, _keyCheck);
        }
    }

    /// <summary>Gets the key id: 1 to 64 characters from <c>A-Z a-z 0-9 . _ -</c>. Key ids are not secret.</summary>
    public string KeyId { get; }

    /// <summary>Gets what the key is for.</summary>
    public KeyPurpose Purpose { get; }

    /// <summary>
    /// Gets when the key was created, in UTC and to the second, or <see langword="null"/> when unknown
    /// (for example for a key given in an environment variable without a date). The key age check
    /// (<see cref="KeyAgeCheck"/>) reads it.
    /// </summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>
    /// Gets the key check value: 8 lowercase hexadecimal characters derived from the key with HKDF, the
    /// same for the same key everywhere. Compare it across environments to see whether they hold the same
    /// key without revealing it. It is not secret: 32 bits of a one-way function of a 256-bit key.
    /// </summary>
    public string KeyCheckValue { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Generates a new key of <see cref="GeneratedKeySizeInBytes"/> random bytes from <see cref="System.Security.Cryptography.RandomNumberGenerator"/>.</summary>
    /// <param name="keyId">The key id; see <see cref="IsValidKeyId(string)"/>.</param>
    /// <param name="purpose">What the key is for.</param>
    /// <param name="createdAt">The creation time, normally <see cref="TimeProvider.GetUtcNow"/>.</param>
    /// <returns>The new key.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a valid key id, or <paramref name="purpose"/> is not defined.</exception>
    public static DataKey Generate(string keyId, KeyPurpose purpose, DateTimeOffset createdAt)
    {
        ValidateKeyId(keyId, nameof(keyId));
        ValidatePurpose(purpose);
        Span<byte> material = stackalloc byte[GeneratedKeySizeInBytes];
        try
        {
            RandomNumberGenerator.Fill(material);
            return new DataKey(keyId, purpose, material, createdAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>Creates a key from existing key material, which is copied.</summary>
    /// <param name="keyId">The key id; see <see cref="IsValidKeyId(string)"/>.</param>
    /// <param name="purpose">What the key is for.</param>
    /// <param name="keyMaterial">
    /// The secret key: <see cref="MinimumKeySizeInBytes"/> to <see cref="MaximumKeySizeInBytes"/> bytes
    /// from a cryptographically secure random source. The caller may zero its copy afterwards.
    /// </param>
    /// <param name="createdAt">The creation time, or <see langword="null"/> when unknown.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">
    /// The key id is invalid, the purpose is not defined, or the key has the wrong length (the message
    /// gives the length, never the bytes).
    /// </exception>
    public static DataKey FromBytes(string keyId, KeyPurpose purpose, ReadOnlySpan<byte> keyMaterial, DateTimeOffset? createdAt = null)
    {
        ValidateKeyId(keyId, nameof(keyId));
        ValidatePurpose(purpose);
        if (keyMaterial.Length is < MinimumKeySizeInBytes or > MaximumKeySizeInBytes)
        {
            throw new ArgumentException(
                CryptoHelpers.FormatInvariant($"A data key must be {MinimumKeySizeInBytes} to {MaximumKeySizeInBytes} bytes long; the supplied key for '{keyId}' is {keyMaterial.Length} bytes long."),
                nameof(keyMaterial));
        }

        return new DataKey(keyId, purpose, keyMaterial, createdAt);
    }

    /// <summary>
    /// Returns whether <paramref name="keyId"/> is a valid key id: 1 to 64 characters from
    /// <c>A-Z a-z 0-9 . _ -</c>. Key ids travel in every ciphertext, so keep them short (for example
    /// <c>enc-2025q3</c>).
    /// </summary>
    /// <param name="keyId">The candidate key id.</param>
    /// <returns><see langword="true"/> when it is valid.</returns>
    public static bool IsValidKeyId([NotNullWhen(true)] string? keyId)
    {
        if (keyId is null || keyId.Length is 0 or > MaximumKeyIdLength)
        {
            return false;
        }

        foreach (char c in keyId)
        {
            if (!IsKeyIdChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns a description with the key id, purpose, creation date and key check value; never the key.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        CryptoHelpers.FormatInvariant(
            $"DataKey {KeyId} ({KeyPurposeNames.ToText(Purpose)}, created {(CreatedAt is { } created ? created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "unknown")}, check {KeyCheckValue}, key hidden)");

    /// <summary>Zeroes the key material and every key derived from it. Later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _aesPool?.Dispose();
        CryptographicOperations.ZeroMemory(_material);
        if (_aesKey is not null)
        {
            CryptographicOperations.ZeroMemory(_aesKey);
        }

        foreach (byte[] derived in _derivedKeys.Values)
        {
            CryptographicOperations.ZeroMemory(derived);
        }

        _derivedKeys.Clear();
    }

    internal static bool IsKeyIdChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';

    internal static bool IsKeyIdByte(byte b) => b < 0x80 && IsKeyIdChar((char)b);

    internal static void ValidateKeyId(string keyId, string paramName)
    {
        ArgumentNullException.ThrowIfNull(keyId, paramName);
        if (!IsValidKeyId(keyId))
        {
            // Key ids are not secret, but an invalid one may be anything: report its length only.
            throw new ArgumentException(
                CryptoHelpers.FormatInvariant($"A key id must be 1 to {MaximumKeyIdLength} characters from A-Z a-z 0-9 . _ - (the supplied id has {keyId.Length} characters)."),
                paramName);
        }
    }

    internal ReadOnlySpan<byte> KeyIdBytes => _keyIdBytes;

    internal ReadOnlySpan<byte> KeyCheck => _keyCheck;

    /// <summary>Gets the raw key material. Callers must not copy it anywhere that outlives the call.</summary>
    internal ReadOnlySpan<byte> GetMaterial()
    {
        ThrowIfDisposed();
        return _material;
    }

    /// <summary>The ciphertext header up to the nonce: version, key id length, key id, key check value.</summary>
    internal ReadOnlySpan<byte> HeaderPrefix => _headerPrefix ?? throw WrongPurpose(KeyPurpose.Encryption);

    /// <summary>Gets the AES-256 key derived for field encryption (the benchmark compares against raw AesGcm with it).</summary>
    internal ReadOnlySpan<byte> GetAesKey()
    {
        ThrowIfDisposed();
        return _aesKey ?? throw WrongPurpose(KeyPurpose.Encryption);
    }

    internal AesGcm RentCipher()
    {
        ThrowIfDisposed();
        return (_aesPool ?? throw WrongPurpose(KeyPurpose.Encryption)).Rent();
    }

    internal void ReturnCipher(AesGcm cipher) => _aesPool!.Return(cipher);

    /// <summary>
    /// Returns a key derived from this one with HKDF-SHA256 and <paramref name="info"/>, cached under
    /// <paramref name="cacheKey"/> and zeroed when this key is disposed.
    /// </summary>
    internal byte[] GetDerivedKey(string cacheKey, ReadOnlySpan<byte> info)
    {
        ThrowIfDisposed();
        if (_derivedKeys.TryGetValue(cacheKey, out byte[]? cached))
        {
            return cached;
        }

        byte[] derived = CryptoHelpers.DeriveKey(_material, info, 32);
        byte[] winner = _derivedKeys.GetOrAdd(cacheKey, derived);
        if (!ReferenceEquals(winner, derived))
        {
            CryptographicOperations.ZeroMemory(derived);
        }

        if (IsDisposed)
        {
            // Lost a race with Dispose: make sure nothing derived survives it.
            CryptographicOperations.ZeroMemory(winner);
            ThrowIfDisposed();
        }

        return winner;
    }

    /// <summary>Compares the key material of two keys in constant time.</summary>
    internal bool HasSameMaterial(DataKey other) =>
        CryptographicOperations.FixedTimeEquals(GetMaterial(), other.GetMaterial());

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value)
    {
        DateTimeOffset utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private static void ValidatePurpose(KeyPurpose purpose)
    {
        if (!KeyPurposeNames.IsDefined(purpose))
        {
            throw new ArgumentException("The key purpose is not defined.", nameof(purpose));
        }
    }

    private InvalidOperationException WrongPurpose(KeyPurpose expected) =>
        new(CryptoHelpers.FormatInvariant($"The key '{KeyId}' is a {KeyPurposeNames.ToText(Purpose)} key, not a {KeyPurposeNames.ToText(expected)} key."));

    private void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(DataKey), CryptoHelpers.FormatInvariant($"The data key '{KeyId}' has been disposed."));
        }
    }
}
