using System;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// A master key (key-encryption key) that wraps and unwraps data keys: envelope encryption. Implement it
/// to keep the master key in a cloud KMS, an HSM or HashiCorp Vault's transit engine, so that it never
/// enters the application's memory; <see cref="LocalMasterKey"/> is the built-in implementation.
/// </summary>
/// <remarks>
/// <para>
/// The key ring file stores only wrapped data keys and the <see cref="MasterKeyId"/>; wrapping happens
/// when the ring is saved and unwrapping when it is loaded, not per encryption, so a network call here is
/// acceptable (the methods are synchronous because key rings are loaded synchronously, as in ASP.NET Core
/// Data Protection).
/// </para>
/// <para>
/// Implementations must authenticate: unwrapping a modified wrapped key, or with a different
/// <c>associatedData</c>, must fail with <see cref="KeyUnwrapException"/>. A KMS with an encryption
/// context (AWS KMS) or additional authenticated data (Vault transit with <c>associated_data</c>, Google
/// Cloud KMS) should pass <c>associatedData</c> there. Never put key bytes in an exception or a log.
/// </para>
/// </remarks>
public interface IMasterKey
{
    /// <summary>
    /// Gets a non-secret identifier of the master key, stored in the key ring file so that loading it with
    /// another master key is reported as exactly that. For a KMS, the key ARN, URI or name; for
    /// <see cref="LocalMasterKey"/>, a fingerprint.
    /// </summary>
    string MasterKeyId { get; }

    /// <summary>Wraps (encrypts and authenticates) a data key.</summary>
    /// <param name="dataKey">The data key to wrap.</param>
    /// <param name="associatedData">Data the wrapped key is bound to (the key ring entry it belongs to).</param>
    /// <returns>The wrapped key, an opaque blob that is not secret.</returns>
    byte[] WrapKey(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData);

    /// <summary>Unwraps a data key wrapped by <see cref="WrapKey"/>.</summary>
    /// <param name="wrappedKey">The wrapped key.</param>
    /// <param name="associatedData">The same associated data as when it was wrapped.</param>
    /// <param name="destination">
    /// Receives the data key; at least <see cref="DataKey.MaximumKeySizeInBytes"/> bytes. The caller zeroes it.
    /// </param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="KeyUnwrapException">The wrapped key is malformed, was modified, or belongs to other associated data or another master key.</exception>
    int UnwrapKey(ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> associatedData, Span<byte> destination);
}
