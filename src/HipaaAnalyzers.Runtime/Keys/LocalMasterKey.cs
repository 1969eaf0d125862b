using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// A master key held in the process, for example read from the <c>HIPAA_MASTER_KEY</c> environment
/// variable, that wraps data keys with AES-256-GCM.
/// </summary>
/// <remarks>
/// <para>
/// AES key wrap (RFC 3394 / NIST SP 800-38F KW) is not available in .NET, so wrapping uses AES-256-GCM
/// (NIST SP 800-38D) from <see cref="System.Security.Cryptography"/>, which also authenticates the
/// associated data that binds a wrapped key to its key ring entry. The wrapping key is derived from the
/// master key with HKDF-SHA256; a wrapped key is <c>0x01 | nonce (12) | encrypted key | tag (16)</c>.
/// Each wrap uses a fresh random nonce; a master key wraps few keys, far below the GCM limit.
/// </para>
/// <para>
/// <see cref="MasterKeyId"/> is <c>local:</c> followed by an 8-hex-digit fingerprint of the key (HKDF
/// under its own label), so a key ring file records which master key protects it without revealing it.
/// The key is copied into a pinned buffer and zeroed by <see cref="Dispose"/>.
/// </para>
/// </remarks>
public sealed class LocalMasterKey : IMasterKey, IDisposable
{
    /// <summary>The default environment variable for the master key: 32 to 64 random bytes, base64.</summary>
    public const string DefaultEnvironmentVariable = "HIPAA_MASTER_KEY";

    /// <summary>The minimum master key length, in bytes (256 bits).</summary>
    public const int MinimumKeySizeInBytes = 32;

    /// <summary>The maximum master key length, in bytes.</summary>
    public const int MaximumKeySizeInBytes = 64;

    private const byte WrapVersion = 0x01;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    private readonly byte[] _wrappingKey;

    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="LocalMasterKey"/> class with a key, which is copied.</summary>
    /// <param name="key">32 to 64 bytes from a cryptographically secure random source.</param>
    /// <exception cref="ArgumentException">The key has the wrong length (the message gives the length only).</exception>
    public LocalMasterKey(ReadOnlySpan<byte> key)
    {
        if (key.Length is < MinimumKeySizeInBytes or > MaximumKeySizeInBytes)
        {
            throw new ArgumentException(
                CryptoHelpers.FormatInvariant($"A master key must be {MinimumKeySizeInBytes} to {MaximumKeySizeInBytes} bytes long; the supplied key is {key.Length} bytes long."),
                nameof(key));
        }

        _wrappingKey = CryptoHelpers.DeriveKey(key, CryptoHelpers.MasterKeyWrapLabel, 32);
        Span<byte> check = stackalloc byte[CryptoHelpers.KeyCheckSizeInBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key, check, ReadOnlySpan<byte>.Empty, CryptoHelpers.MasterKeyCheckLabel);
        MasterKeyId = "local:" + CryptoHelpers.ToLowerHex(check);
    }

    /// <inheritdoc/>
    public string MasterKeyId { get; }

    /// <summary>Reads the master key from an environment variable (base64, 32 to 64 bytes).</summary>
    /// <param name="variable">The variable name; default <c>HIPAA_MASTER_KEY</c>.</param>
    /// <returns>The master key.</returns>
    /// <exception cref="PhiConfigurationException">The variable is unset, not base64, or the wrong length (the message never contains its value).</exception>
    public static LocalMasterKey FromEnvironment(string variable = DefaultEnvironmentVariable) =>
        FromEnvironment(variable, Environment.GetEnvironmentVariable);

    /// <summary>Generates a new random 32-byte master key, for tests and for tooling that creates a key ring.</summary>
    /// <returns>The key.</returns>
    public static LocalMasterKey Generate()
    {
        Span<byte> key = stackalloc byte[MinimumKeySizeInBytes];
        try
        {
            RandomNumberGenerator.Fill(key);
            return new LocalMasterKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc/>
    public byte[] WrapKey(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData)
    {
        ThrowIfDisposed();
        var wrapped = new byte[1 + NonceSize + dataKey.Length + TagSize];
        wrapped[0] = WrapVersion;
        Span<byte> nonce = wrapped.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_wrappingKey, TagSize);
        aes.Encrypt(nonce, dataKey, wrapped.AsSpan(1 + NonceSize, dataKey.Length), wrapped.AsSpan(1 + NonceSize + dataKey.Length, TagSize), associatedData);
        return wrapped;
    }

    /// <inheritdoc/>
    public int UnwrapKey(ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        ThrowIfDisposed();
        if (wrappedKey.Length < 1 + NonceSize + TagSize + DataKey.MinimumKeySizeInBytes || wrappedKey.Length > 1 + NonceSize + TagSize + DataKey.MaximumKeySizeInBytes)
        {
            throw new KeyUnwrapException(CryptoHelpers.FormatInvariant($"The wrapped key is {wrappedKey.Length} bytes long, which is not the length of a key wrapped by a local master key."));
        }

        if (wrappedKey[0] != WrapVersion)
        {
            throw new KeyUnwrapException(CryptoHelpers.FormatInvariant($"The wrapped key has format version {wrappedKey[0]}; this release reads version {WrapVersion}."));
        }

        int keyLength = wrappedKey.Length - 1 - NonceSize - TagSize;
        if (destination.Length < keyLength)
        {
            throw new ArgumentException("The destination is too short for the unwrapped key.", nameof(destination));
        }

        using var aes = new AesGcm(_wrappingKey, TagSize);
        try
        {
            aes.Decrypt(
                wrappedKey.Slice(1, NonceSize),
                wrappedKey.Slice(1 + NonceSize, keyLength),
                wrappedKey.Slice(1 + NonceSize + keyLength, TagSize),
                destination.Slice(0, keyLength),
                associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new KeyUnwrapException(CryptoHelpers.FormatInvariant(
                $"The wrapped key failed authentication under master key '{MasterKeyId}': it was modified, or moved from another key ring entry (its id, purpose or creation date changed)."));
        }

        return keyLength;
    }

    /// <summary>Returns the master key id (a fingerprint); never the key.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "LocalMasterKey " + MasterKeyId + " (AES-256-GCM key wrapping, key hidden)";

    /// <summary>Zeroes the key. Later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(_wrappingKey);
        }
    }

    internal static LocalMasterKey FromEnvironment(string variable, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? value = getVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PhiConfigurationException(
                CryptoHelpers.FormatInvariant($"The environment variable {variable} is not set. Set it to the master key that protects the key ring: {MinimumKeySizeInBytes} random bytes encoded as base64, for example from 'openssl rand -base64 32'."));
        }

        byte[] key = EnvironmentKeyParser.DecodeKey(
            variable,
            value.AsSpan().Trim(),
            string.Empty,
            MinimumKeySizeInBytes,
            MaximumKeySizeInBytes,
            CryptoHelpers.FormatInvariant($"Set it to {MinimumKeySizeInBytes} to {MaximumKeySizeInBytes} random bytes encoded as base64, for example from 'openssl rand -base64 32'."));
        try
        {
            return new LocalMasterKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(LocalMasterKey));
        }
    }
}
