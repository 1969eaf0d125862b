using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Encrypts and decrypts field values with AES-256-GCM from <see cref="System.Security.Cryptography"/>,
/// under the active encryption key of a key ring, bound to an <see cref="EncryptionContext"/>.
/// </summary>
/// <remarks>
/// <para>
/// A ciphertext is <c>version | key id | key check value | nonce | ciphertext | tag</c>, documented byte
/// by byte in <c>docs/runtime/encryption.md</c>. Every encryption draws a fresh 96-bit nonce from
/// <see cref="System.Security.Cryptography.RandomNumberGenerator"/>, so encrypting the same value twice gives different ciphertexts.
/// The header and the encoded context are the GCM associated data: changing any byte of the ciphertext,
/// or decrypting with another context, fails.
/// </para>
/// <para>
/// New values use the ring's active encryption key; values encrypted with staged or retired keys still
/// decrypt, and <see cref="ReEncrypt"/> / <see cref="FieldReEncryptor"/> move them to the active key.
/// </para>
/// <para>
/// Errors are typed (<see cref="MalformedCiphertextException"/>, <see cref="UnsupportedCiphertextVersionException"/>,
/// <see cref="UnknownKeyIdException"/>, <see cref="KeyMismatchException"/>,
/// <see cref="CiphertextAuthenticationException"/>) and never contain plaintext or key material. The class
/// is thread-safe and keeps no per-call state; register it as a singleton.
/// </para>
/// </remarks>
public sealed class FieldEncryptor
{
    private const int StackAssociatedDataBytes = 256;
    private const int StackPlaintextBytes = 1024;

    private readonly IKeyRingProvider _keyRingProvider;

    /// <summary>Initializes a new instance of the <see cref="FieldEncryptor"/> class.</summary>
    /// <param name="keyRingProvider">Supplies the key ring on every call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyRingProvider"/> is <see langword="null"/>.</exception>
    public FieldEncryptor(IKeyRingProvider keyRingProvider)
    {
        ArgumentNullException.ThrowIfNull(keyRingProvider);
        if (!AesGcm.IsSupported)
        {
            throw new PlatformNotSupportedException("AES-GCM is not supported on this platform, so field encryption is unavailable.");
        }

        _keyRingProvider = keyRingProvider;
    }

    /// <summary>Initializes a new instance of the <see cref="FieldEncryptor"/> class with a fixed key ring.</summary>
    /// <param name="keyRing">The key ring.</param>
    public FieldEncryptor(KeyRing keyRing)
        : this(new InMemoryKeyRingProvider(keyRing))
    {
    }

    /// <summary>Returns the length of the ciphertext of a plaintext of <paramref name="plaintextLength"/> bytes under the active key.</summary>
    /// <param name="plaintextLength">The plaintext length, in bytes.</param>
    /// <returns>The ciphertext length: the plaintext length plus 34 bytes plus the key id length.</returns>
    /// <exception cref="PhiConfigurationException">The key ring has no active encryption key.</exception>
    public int GetCiphertextLength(int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        DataKey key = _keyRingProvider.GetKeyRing().GetRequiredActiveKey(KeyPurpose.Encryption);
        return CiphertextFormat.GetCiphertextLength(key.KeyIdBytes.Length, plaintextLength);
    }

    /// <summary>Reads the non-secret header of a ciphertext: format version, key id and plaintext length.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <returns>The header.</returns>
    /// <exception cref="MalformedCiphertextException">The value is not a well-formed ciphertext.</exception>
    /// <exception cref="UnsupportedCiphertextVersionException">The format version is unknown.</exception>
    public static CiphertextHeader ReadHeader(ReadOnlySpan<byte> ciphertext)
    {
        CiphertextFormat.Parsed parsed = CiphertextFormat.Parse(ciphertext);
        return new CiphertextHeader(ciphertext[0], parsed.KeyIdString(ciphertext), parsed.PlaintextLength);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> under the active key, bound to <paramref name="context"/>.</summary>
    /// <param name="plaintext">The value to encrypt.</param>
    /// <param name="context">The context to bind it to, for example <see cref="EncryptionContext.ForField(string, string, string)"/>.</param>
    /// <returns>The ciphertext.</returns>
    /// <exception cref="PhiConfigurationException">The key ring has no active encryption key.</exception>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DataKey key = _keyRingProvider.GetKeyRing().GetRequiredActiveKey(KeyPurpose.Encryption);
        var output = new byte[CiphertextFormat.GetCiphertextLength(key.KeyIdBytes.Length, plaintext.Length)];
        EncryptCore(key, plaintext, context, output);
        return output;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/>, without allocating.</summary>
    /// <param name="plaintext">The value to encrypt.</param>
    /// <param name="context">The context to bind it to.</param>
    /// <param name="destination">Receives the ciphertext; see <see cref="GetCiphertextLength(int)"/>. It must not overlap <paramref name="plaintext"/>.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or overlaps <paramref name="plaintext"/>.</exception>
    /// <exception cref="PhiConfigurationException">The key ring has no active encryption key.</exception>
    public int Encrypt(ReadOnlySpan<byte> plaintext, EncryptionContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (plaintext.Overlaps(destination))
        {
            throw new ArgumentException("The destination must not overlap the plaintext.", nameof(destination));
        }

        DataKey key = _keyRingProvider.GetKeyRing().GetRequiredActiveKey(KeyPurpose.Encryption);
        int length = CiphertextFormat.GetCiphertextLength(key.KeyIdBytes.Length, plaintext.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too short for the ciphertext; see GetCiphertextLength.", nameof(destination));
        }

        EncryptCore(key, plaintext, context, destination.Slice(0, length));
        return length;
    }

    /// <summary>Decrypts a ciphertext made by <see cref="Encrypt(ReadOnlySpan{byte}, EncryptionContext)"/>.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="context">The context it was encrypted with.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="MalformedCiphertextException">The value is empty, truncated or has an invalid header.</exception>
    /// <exception cref="UnsupportedCiphertextVersionException">The format version is unknown.</exception>
    /// <exception cref="UnknownKeyIdException">The key ring does not hold the key it names.</exception>
    /// <exception cref="KeyMismatchException">The key ring holds a different key under that id.</exception>
    /// <exception cref="CiphertextAuthenticationException">The value was modified, or <paramref name="context"/> is not the one it was encrypted with.</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CiphertextFormat.Parsed parsed = CiphertextFormat.Parse(ciphertext);
        DataKey key = ResolveKey(_keyRingProvider.GetKeyRing(), ciphertext, parsed);
        var plaintext = new byte[parsed.PlaintextLength];
        DecryptCore(key, ciphertext, parsed, context, plaintext);
        return plaintext;
    }

    /// <summary>Decrypts into <paramref name="destination"/>, without allocating. On failure <paramref name="destination"/> is cleared.</summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="context">The context it was encrypted with.</param>
    /// <param name="destination">Receives the plaintext; see <see cref="CiphertextHeader.PlaintextLength"/>.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="FieldEncryptionException">As for <see cref="Decrypt(ReadOnlySpan{byte}, EncryptionContext)"/>.</exception>
    public int Decrypt(ReadOnlySpan<byte> ciphertext, EncryptionContext context, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        CiphertextFormat.Parsed parsed = CiphertextFormat.Parse(ciphertext);
        if (destination.Length < parsed.PlaintextLength)
        {
            throw new ArgumentException("The destination is too short for the plaintext; see ReadHeader.", nameof(destination));
        }

        DataKey key = ResolveKey(_keyRingProvider.GetKeyRing(), ciphertext, parsed);
        DecryptCore(key, ciphertext, parsed, context, destination.Slice(0, parsed.PlaintextLength));
        return parsed.PlaintextLength;
    }

    /// <summary>Encrypts a string: its UTF-8 bytes are encrypted and the ciphertext is returned as base64.</summary>
    /// <param name="plaintext">The value to encrypt.</param>
    /// <param name="context">The context to bind it to.</param>
    /// <returns>The ciphertext in standard base64 (with padding).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="plaintext"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="plaintext"/> contains an unpaired surrogate (the message does not quote it).</exception>
    /// <exception cref="PhiConfigurationException">The key ring has no active encryption key.</exception>
    public string EncryptString(string plaintext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(context);
        DataKey key = _keyRingProvider.GetKeyRing().GetRequiredActiveKey(KeyPurpose.Encryption);

        int byteCount;
        try
        {
            byteCount = CryptoHelpers.StrictUtf8.GetByteCount(plaintext);
        }
        catch (EncoderFallbackException)
        {
            // The fallback exception quotes the offending character of the plaintext: never pass it on.
            throw new ArgumentException("The plaintext contains an unpaired surrogate and cannot be encoded as UTF-8.", nameof(plaintext));
        }

        byte[]? rentedPlaintext = null;
        Span<byte> utf8 = byteCount <= StackPlaintextBytes
            ? stackalloc byte[StackPlaintextBytes]
            : (rentedPlaintext = ArrayPool<byte>.Shared.Rent(byteCount));
        utf8 = utf8.Slice(0, byteCount);
        int length = CiphertextFormat.GetCiphertextLength(key.KeyIdBytes.Length, byteCount);
        byte[] rentedOutput = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            CryptoHelpers.StrictUtf8.GetBytes(plaintext, utf8);
            EncryptCore(key, utf8, context, rentedOutput.AsSpan(0, length));
            return Convert.ToBase64String(rentedOutput, 0, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
            if (rentedPlaintext is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedPlaintext);
            }

            ArrayPool<byte>.Shared.Return(rentedOutput);
        }
    }

    /// <summary>Decrypts a base64 ciphertext made by <see cref="EncryptString"/>.</summary>
    /// <param name="ciphertext">The ciphertext in base64.</param>
    /// <param name="context">The context it was encrypted with.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ciphertext"/> is <see langword="null"/>.</exception>
    /// <exception cref="MalformedCiphertextException">The text is not base64, or the value is truncated or has an invalid header.</exception>
    /// <exception cref="FieldEncryptionException">
    /// As for <see cref="Decrypt(ReadOnlySpan{byte}, EncryptionContext)"/>; or the plaintext is not UTF-8
    /// (it was encrypted with the byte API).
    /// </exception>
    public string DecryptString(string ciphertext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(context);

        byte[] rentedCiphertext = ArrayPool<byte>.Shared.Rent((ciphertext.Length / 4 * 3) + 3);
        byte[]? rentedPlaintext = null;
        try
        {
            if (!Convert.TryFromBase64String(ciphertext, rentedCiphertext, out int length))
            {
                throw new MalformedCiphertextException("The ciphertext is not valid base64: it is not a value made by EncryptString, or it was cut or altered.");
            }

            ReadOnlySpan<byte> data = rentedCiphertext.AsSpan(0, length);
            CiphertextFormat.Parsed parsed = CiphertextFormat.Parse(data);
            DataKey key = ResolveKey(_keyRingProvider.GetKeyRing(), data, parsed);
            Span<byte> plaintext = parsed.PlaintextLength <= StackPlaintextBytes
                ? stackalloc byte[StackPlaintextBytes]
                : (rentedPlaintext = ArrayPool<byte>.Shared.Rent(parsed.PlaintextLength));
            plaintext = plaintext.Slice(0, parsed.PlaintextLength);
            try
            {
                DecryptCore(key, data, parsed, context, plaintext);
                return CryptoHelpers.StrictUtf8.GetString(plaintext);
            }
            catch (DecoderFallbackException)
            {
                // The fallback exception quotes the offending plaintext bytes: never pass it on.
                throw new FieldEncryptionException("The decrypted value is not UTF-8 text: it was encrypted with the byte API, not EncryptString. Decrypt it with Decrypt.");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
        finally
        {
            if (rentedPlaintext is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedPlaintext);
            }

            ArrayPool<byte>.Shared.Return(rentedCiphertext);
        }
    }

    /// <summary>
    /// Returns whether <paramref name="ciphertext"/> is encrypted with the ring's active key, that is,
    /// whether <see cref="ReEncrypt"/> would leave it on the same key. Reads the header only.
    /// </summary>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <returns><see langword="true"/> when its key id and key check value are those of the active key.</returns>
    /// <exception cref="MalformedCiphertextException">The value is not a well-formed ciphertext.</exception>
    /// <exception cref="UnsupportedCiphertextVersionException">The format version is unknown.</exception>
    public bool IsEncryptedWithActiveKey(ReadOnlySpan<byte> ciphertext)
    {
        CiphertextFormat.Parsed parsed = CiphertextFormat.Parse(ciphertext);
        DataKey? active = _keyRingProvider.GetKeyRing().GetActiveKey(KeyPurpose.Encryption);
        if (active is not null
            && active.KeyIdBytes.SequenceEqual(parsed.KeyId(ciphertext))
            && active.KeyCheck.SequenceEqual(parsed.KeyCheck(ciphertext)))
        {
            return true;
        }

        CiphertextFormat.ValidateKeyId(parsed.KeyId(ciphertext));
        return false;
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> and encrypts the plaintext again under the active key, with a
    /// fresh nonce. The plaintext never leaves this method and is zeroed.
    /// </summary>
    /// <param name="ciphertext">The ciphertext, under any key of the ring.</param>
    /// <param name="context">The context it was encrypted with; the new ciphertext is bound to the same.</param>
    /// <returns>The new ciphertext.</returns>
    /// <exception cref="FieldEncryptionException">As for <see cref="Decrypt(ReadOnlySpan{byte}, EncryptionContext)"/>.</exception>
    /// <exception cref="PhiConfigurationException">The key ring has no active encryption key.</exception>
    public byte[] ReEncrypt(ReadOnlySpan<byte> ciphertext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        KeyRing ring = _keyRingProvider.GetKeyRing();
        DataKey active = ring.GetRequiredActiveKey(KeyPurpose.Encryption);
        CiphertextFormat.Parsed parsed = CiphertextFormat.Parse(ciphertext);
        DataKey key = ResolveKey(ring, ciphertext, parsed);

        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, parsed.PlaintextLength));
        Span<byte> plaintext = rented.AsSpan(0, parsed.PlaintextLength);
        try
        {
            DecryptCore(key, ciphertext, parsed, context, plaintext);
            var output = new byte[CiphertextFormat.GetCiphertextLength(active.KeyIdBytes.Length, plaintext.Length)];
            EncryptCore(active, plaintext, context, output);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The id of the active encryption key, or "(none)".</summary>
    internal string ActiveKeyIdOrNone() => _keyRingProvider.GetKeyRing().GetActiveKey(KeyPurpose.Encryption)?.KeyId ?? "(none)";

    /// <summary>Returns a description of the key ring in use; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "FieldEncryptor (AES-256-GCM): " + _keyRingProvider.GetKeyRing();

    private static void EncryptCore(DataKey key, ReadOnlySpan<byte> plaintext, EncryptionContext context, Span<byte> output)
    {
        ReadOnlySpan<byte> prefix = key.HeaderPrefix;
        ReadOnlySpan<byte> encodedContext = context.Encoded;
        prefix.CopyTo(output);
        Span<byte> nonce = output.Slice(prefix.Length, CiphertextFormat.NonceSize);
        Span<byte> ciphertext = output.Slice(prefix.Length + CiphertextFormat.NonceSize, plaintext.Length);
        Span<byte> tag = output.Slice(prefix.Length + CiphertextFormat.NonceSize + plaintext.Length, CiphertextFormat.TagSize);
        RandomNumberGenerator.Fill(nonce);

        int associatedLength = prefix.Length + encodedContext.Length;
        byte[]? rented = null;
        Span<byte> associatedData = associatedLength <= StackAssociatedDataBytes
            ? stackalloc byte[associatedLength]
            : (rented = ArrayPool<byte>.Shared.Rent(associatedLength)).AsSpan(0, associatedLength);
        prefix.CopyTo(associatedData);
        encodedContext.CopyTo(associatedData.Slice(prefix.Length));

        AesGcm aes = key.RentCipher();
        try
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        catch
        {
            // Never leave a half-written value behind.
            CryptographicOperations.ZeroMemory(output);
            throw;
        }
        finally
        {
            key.ReturnCipher(aes);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static DataKey ResolveKey(KeyRing ring, ReadOnlySpan<byte> ciphertext, CiphertextFormat.Parsed parsed)
    {
        DataKey key = ring.FindKey(KeyPurpose.Encryption, parsed.KeyId(ciphertext))
            ?? throw new UnknownKeyIdException(parsed.KeyIdString(ciphertext), KeyPurpose.Encryption);

        // The key check value is public (it is in every ciphertext, in ToString() and in logs) and not a MAC, so a
        // plain comparison is fine; the secret comparison, of the GCM tag, happens inside AesGcm in constant time.
        if (!key.KeyCheck.SequenceEqual(parsed.KeyCheck(ciphertext)))
        {
            throw new KeyMismatchException(key.KeyId, KeyPurpose.Encryption);
        }

        return key;
    }

    private static void DecryptCore(DataKey key, ReadOnlySpan<byte> data, CiphertextFormat.Parsed parsed, EncryptionContext context, Span<byte> plaintext)
    {
        ReadOnlySpan<byte> prefix = data.Slice(0, parsed.HeaderPrefixLength);
        ReadOnlySpan<byte> encodedContext = context.Encoded;
        int associatedLength = prefix.Length + encodedContext.Length;
        byte[]? rented = null;
        Span<byte> associatedData = associatedLength <= StackAssociatedDataBytes
            ? stackalloc byte[associatedLength]
            : (rented = ArrayPool<byte>.Shared.Rent(associatedLength)).AsSpan(0, associatedLength);
        prefix.CopyTo(associatedData);
        encodedContext.CopyTo(associatedData.Slice(prefix.Length));

        AesGcm aes = key.RentCipher();
        try
        {
            aes.Decrypt(
                data.Slice(parsed.NonceOffset, CiphertextFormat.NonceSize),
                data.Slice(parsed.CiphertextOffset, parsed.PlaintextLength),
                data.Slice(parsed.TagOffset, CiphertextFormat.TagSize),
                plaintext,
                associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            // AesGcm has already cleared the plaintext buffer.
            throw new CiphertextAuthenticationException(key.KeyId, context.PartCount);
        }
        finally
        {
            key.ReturnCipher(aes);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>The non-secret header of a field ciphertext, from <see cref="FieldEncryptor.ReadHeader"/>.</summary>
public readonly struct CiphertextHeader
{
    internal CiphertextHeader(byte version, string keyId, int plaintextLength)
    {
        Version = version;
        KeyId = keyId;
        PlaintextLength = plaintextLength;
    }

    /// <summary>Gets the format version.</summary>
    public byte Version { get; }

    /// <summary>Gets the id of the key the value was encrypted with.</summary>
    public string KeyId { get; }

    /// <summary>Gets the length of the plaintext, in bytes (AES-GCM does not hide lengths).</summary>
    public int PlaintextLength { get; }

    /// <summary>Returns the version, key id and length.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoHelpers.FormatInvariant($"CiphertextHeader (version {Version}, key '{KeyId}', {PlaintextLength} plaintext bytes)");
}
