using System;
using System.Security.Cryptography;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// The base class of the errors raised by field encryption, key rings and key providers. Catch it to
/// handle every such error in one place.
/// </summary>
/// <remarks>
/// <para>
/// Messages say what is wrong and what to check. They may name a key id, a master key id, a file
/// path, a format version or a byte count, none of which is secret, but they never contain plaintext,
/// ciphertext or key bytes, and no exception of this family carries an inner exception that could.
/// </para>
/// <para>
/// The derived types tell the cases apart: <see cref="MalformedCiphertextException"/>,
/// <see cref="UnsupportedCiphertextVersionException"/>, <see cref="UnknownKeyIdException"/>,
/// <see cref="KeyMismatchException"/>, <see cref="CiphertextAuthenticationException"/>,
/// <see cref="KeyUnwrapException"/> and <see cref="KeyRingFormatException"/>.
/// </para>
/// </remarks>
public class FieldEncryptionException : CryptographicException
{
    /// <summary>Initializes a new instance of the <see cref="FieldEncryptionException"/> class.</summary>
    public FieldEncryptionException()
        : base("A field encryption operation failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FieldEncryptionException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    public FieldEncryptionException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="FieldEncryptionException"/> class with a message and
    /// the exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    /// <param name="innerException">The cause; its message must not contain plaintext or key material either.</param>
    public FieldEncryptionException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The exception thrown when a value is not a well-formed field ciphertext: it is empty, shorter than
/// the format requires (for example truncated), its header is inconsistent, or its text form is not
/// valid base64.
/// </summary>
public sealed class MalformedCiphertextException : FieldEncryptionException
{
    /// <summary>Initializes a new instance of the <see cref="MalformedCiphertextException"/> class.</summary>
    public MalformedCiphertextException()
        : base("The value is not a well-formed field ciphertext.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MalformedCiphertextException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    public MalformedCiphertextException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="MalformedCiphertextException"/> class with a message
    /// and the exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    /// <param name="innerException">The cause.</param>
    public MalformedCiphertextException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The exception thrown when a ciphertext starts with a format version this library does not know,
/// for example a value written by a newer release or a value that is not a field ciphertext at all.
/// </summary>
public sealed class UnsupportedCiphertextVersionException : FieldEncryptionException
{
    /// <summary>Initializes a new instance of the <see cref="UnsupportedCiphertextVersionException"/> class.</summary>
    public UnsupportedCiphertextVersionException()
        : base("The ciphertext has an unsupported format version.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UnsupportedCiphertextVersionException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    public UnsupportedCiphertextVersionException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="UnsupportedCiphertextVersionException"/> class with a
    /// message and the exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    /// <param name="innerException">The cause.</param>
    public UnsupportedCiphertextVersionException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal UnsupportedCiphertextVersionException(byte version)
        : base($"The ciphertext has format version {version}, which this release does not support (it reads version {CiphertextFormat.Version1}). " +
               "The value was written by a newer release, or it is not a field ciphertext.")
    {
        Version = version;
    }

    /// <summary>Gets the version byte found in the ciphertext, or <see langword="null"/> when unknown.</summary>
    public byte? Version { get; }
}

/// <summary>
/// The exception thrown when a ciphertext names a key id that the key ring does not hold: the key was
/// removed from the ring, the ring is from another environment, or the value was modified.
/// </summary>
public sealed class UnknownKeyIdException : FieldEncryptionException
{
    /// <summary>Initializes a new instance of the <see cref="UnknownKeyIdException"/> class.</summary>
    public UnknownKeyIdException()
        : base("The ciphertext names a key that the key ring does not hold.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UnknownKeyIdException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    public UnknownKeyIdException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="UnknownKeyIdException"/> class with a message and the
    /// exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownKeyIdException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal UnknownKeyIdException(string keyId, KeyPurpose purpose)
        : base($"The ciphertext was encrypted with the {KeyPurposeNames.ToText(purpose)} key '{keyId}', which the key ring does not hold. " +
               "Add the key back to the key ring (retired keys still decrypt), or check that this environment uses the right key ring.")
    {
        KeyId = keyId;
    }

    /// <summary>Gets the key id named by the ciphertext (key ids are not secret), or <see langword="null"/>.</summary>
    public string? KeyId { get; }
}

/// <summary>
/// The exception thrown when the key ring holds a key with the id named by a ciphertext, but it is not
/// the key that encrypted the value: its key check value differs. Typically two environments use the
/// same key id for different keys, or a key was regenerated under an old id.
/// </summary>
public sealed class KeyMismatchException : FieldEncryptionException
{
    /// <summary>Initializes a new instance of the <see cref="KeyMismatchException"/> class.</summary>
    public KeyMismatchException()
        : base("The key ring holds a different key under the key id named by the ciphertext.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KeyMismatchException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    public KeyMismatchException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="KeyMismatchException"/> class with a message and the
    /// exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    /// <param name="innerException">The cause.</param>
    public KeyMismatchException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal KeyMismatchException(string keyId, KeyPurpose purpose)
        : base($"The key ring holds a {KeyPurposeNames.ToText(purpose)} key with id '{keyId}', but it is not the key that encrypted this value (the key check value differs). " +
               "The key ring belongs to another environment, the key was regenerated under an old id, or the value was modified.")
    {
        KeyId = keyId;
    }

    /// <summary>Gets the key id named by the ciphertext (key ids are not secret), or <see langword="null"/>.</summary>
    public string? KeyId { get; }
}

/// <summary>
/// The exception thrown when a ciphertext fails AES-GCM authentication under the right key: the stored
/// bytes were modified, or the value is being decrypted with a different <see cref="EncryptionContext"/>
/// (table, column or row key) than the one it was encrypted with, for example because it was copied
/// into another row.
/// </summary>
/// <remarks>
/// AES-GCM cannot tell those two causes apart, by design: the associated data is authenticated, not
/// stored. The key itself is known to be right at this point (its key check value matched), so the
/// cause is the stored bytes or the context, never the key.
/// </remarks>
public sealed class CiphertextAuthenticationException : FieldEncryptionException
{
    /// <summary>Initializes a new instance of the <see cref="CiphertextAuthenticationException"/> class.</summary>
    public CiphertextAuthenticationException()
        : base("The ciphertext failed authentication.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CiphertextAuthenticationException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    public CiphertextAuthenticationException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="CiphertextAuthenticationException"/> class with a
    /// message and the exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    /// <param name="innerException">The cause.</param>
    public CiphertextAuthenticationException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal CiphertextAuthenticationException(string keyId, int contextPartCount)
        : base($"The ciphertext failed authentication under key '{keyId}' (the key is the right one). Either the value was decrypted with a different " +
               $"context than it was encrypted with (this call passed a context of {contextPartCount} part(s); a value copied from another row, column " +
               "or table fails here), or the stored bytes were modified.")
    {
        KeyId = keyId;
    }

    /// <summary>Gets the key id named by the ciphertext (key ids are not secret), or <see langword="null"/>.</summary>
    public string? KeyId { get; }
}

/// <summary>
/// The exception thrown when a wrapped data key cannot be unwrapped: the configured master key is not
/// the one the key ring was protected with, or the wrapped key was modified or moved to another entry.
/// </summary>
public sealed class KeyUnwrapException : FieldEncryptionException
{
    /// <summary>Initializes a new instance of the <see cref="KeyUnwrapException"/> class.</summary>
    public KeyUnwrapException()
        : base("A wrapped data key could not be unwrapped with the master key.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KeyUnwrapException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    public KeyUnwrapException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="KeyUnwrapException"/> class with a message and the
    /// exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain plaintext or key material.</param>
    /// <param name="innerException">The cause.</param>
    public KeyUnwrapException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The exception thrown when a key ring file is malformed: not JSON, an unknown format, a missing,
/// duplicated or unknown property, an invalid key id, purpose, status or date, a value that is not
/// base64, duplicate key ids, or more than one active key for a purpose.
/// </summary>
/// <remarks>Messages name the file, the entry and the property, never the values.</remarks>
public sealed class KeyRingFormatException : FieldEncryptionException
{
    /// <summary>Initializes a new instance of the <see cref="KeyRingFormatException"/> class.</summary>
    public KeyRingFormatException()
        : base("The key ring file is malformed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KeyRingFormatException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain key material.</param>
    public KeyRingFormatException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="KeyRingFormatException"/> class with a message and
    /// the exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain key material.</param>
    /// <param name="innerException">The cause.</param>
    public KeyRingFormatException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
