using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text;

namespace HipaaAnalyzers.Runtime;

/// <summary>A key of a <see cref="KeyRing"/> together with its status there.</summary>
public sealed class KeyRingEntry
{
    /// <summary>Initializes a new instance of the <see cref="KeyRingEntry"/> class.</summary>
    /// <param name="key">The key.</param>
    /// <param name="status">Its status in the ring.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="status"/> is not defined.</exception>
    public KeyRingEntry(DataKey key, DataKeyStatus status)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!KeyPurposeNames.IsDefined(status))
        {
            throw new ArgumentException("The key status is not defined.", nameof(status));
        }

        Key = key;
        Status = status;
    }

    /// <summary>Gets the key.</summary>
    public DataKey Key { get; }

    /// <summary>Gets the status of the key in the ring.</summary>
    public DataKeyStatus Status { get; }

    /// <summary>Returns the key's description and status; never the key.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Key + " [" + KeyPurposeNames.ToText(Status) + "]";
}

/// <summary>
/// An immutable set of <see cref="DataKey"/>s with one active key per purpose: new ciphertexts, blind
/// indexes and pseudonyms use the active key; staged and retired keys still decrypt.
/// </summary>
/// <remarks>
/// <para>
/// Rotation makes a new ring: <see cref="WithKey(DataKey, DataKeyStatus)"/> adds a key (staged, or
/// active so that the previous active key becomes retired), <see cref="WithActiveKey(string)"/> activates
/// a staged or retired key, <see cref="WithoutKey(string)"/> removes a key once nothing is encrypted with
/// it. See the rotation runbook in <c>docs/runtime/key-rotation.md</c>.
/// </para>
/// <para>
/// A ring does not own its keys: rings made from one another share them. Whoever created the keys (a
/// key provider, or the caller of <see cref="DataKey.Generate"/>) disposes them. Instances are
/// thread-safe.
/// </para>
/// </remarks>
public sealed class KeyRing
{
    private readonly KeyRingEntry[] _entries;
    private readonly DataKey?[] _active = new DataKey?[5];
    private readonly DataKey[][] _byPurpose = new DataKey[5][];

    /// <summary>Initializes a new instance of the <see cref="KeyRing"/> class.</summary>
    /// <param name="entries">The keys and their statuses.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> or an entry is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// Two entries have the same key id (ids are unique across purposes), two keys hold the same key
    /// material, a purpose has more than one active key, or a key has been disposed.
    /// </exception>
    public KeyRing(IEnumerable<KeyRingEntry> entries)
        : this(entries, static message => new ArgumentException(message, nameof(entries)))
    {
    }

    /// <summary>Builds a ring; <paramref name="error"/> turns a validation problem (which names key ids only) into the exception to throw.</summary>
    internal KeyRing(IEnumerable<KeyRingEntry> entries, Func<string, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries.ToArray();

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyRingEntry entry in _entries)
        {
            if (entry is null)
            {
                throw new ArgumentNullException(nameof(entries), "A key ring entry is null.");
            }

            if (entry.Key.IsDisposed)
            {
                throw error(CryptoHelpers.FormatInvariant($"The key '{entry.Key.KeyId}' has been disposed."));
            }

            if (!ids.Add(entry.Key.KeyId))
            {
                throw error(CryptoHelpers.FormatInvariant($"The key id '{entry.Key.KeyId}' appears more than once; key ids are unique across purposes."));
            }

            // Application keys are looked up by name, not by an active key: each one is its own.
            if (entry.Status == DataKeyStatus.Active && entry.Key.Purpose != KeyPurpose.Application)
            {
                int slot = (int)entry.Key.Purpose;
                if (_active[slot] is { } other)
                {
                    throw error(CryptoHelpers.FormatInvariant($"The keys '{other.KeyId}' and '{entry.Key.KeyId}' are both active {KeyPurposeNames.ToText(entry.Key.Purpose)} keys; a key ring has at most one active key per purpose."));
                }

                _active[slot] = entry.Key;
            }
        }

        // The same secret under two ids (or two purposes) would defeat key separation. The check values are
        // compared first; only keys whose check values collide have their material compared, in constant time.
        for (int i = 0; i < _entries.Length; i++)
        {
            for (int j = i + 1; j < _entries.Length; j++)
            {
                DataKey a = _entries[i].Key;
                DataKey b = _entries[j].Key;
                if (a.KeyCheck.SequenceEqual(b.KeyCheck) && a.HasSameMaterial(b))
                {
                    throw error(CryptoHelpers.FormatInvariant($"The keys '{a.KeyId}' and '{b.KeyId}' hold the same key material; every key must be distinct."));
                }
            }
        }

        foreach (KeyPurpose purpose in new[] { KeyPurpose.Encryption, KeyPurpose.BlindIndex, KeyPurpose.Pseudonymization, KeyPurpose.Application })
        {
            // The active key first: it is the one most ciphertexts name.
            _byPurpose[(int)purpose] = _entries
                .Where(e => e.Key.Purpose == purpose)
                .OrderBy(e => e.Status == DataKeyStatus.Active ? 0 : 1)
                .Select(e => e.Key)
                .ToArray();
        }
    }

    /// <summary>Gets the empty key ring.</summary>
    public static KeyRing Empty { get; } = new(Array.Empty<KeyRingEntry>());

    /// <summary>Gets the keys and their statuses, in the order given.</summary>
    public IReadOnlyList<KeyRingEntry> Entries => _entries;

    /// <summary>Returns the active key for <paramref name="purpose"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The active key, or <see langword="null"/>.</returns>
    public DataKey? GetActiveKey(KeyPurpose purpose) =>
        KeyPurposeNames.IsDefined(purpose) ? _active[(int)purpose] : null;

    /// <summary>Returns the keys of <paramref name="purpose"/>, the active one first.</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The keys; empty when there are none.</returns>
    public IReadOnlyList<DataKey> GetKeys(KeyPurpose purpose) =>
        KeyPurposeNames.IsDefined(purpose) ? _byPurpose[(int)purpose] : Array.Empty<DataKey>();

    /// <summary>
    /// Returns a copy of the bytes of the <see cref="KeyPurpose.Application"/> key named
    /// <paramref name="name"/>, for application code that must hand a raw key to a .NET API such as
    /// <c>HMACSHA256</c>, <c>AesGcm</c> or a JWT <c>SymmetricSecurityKey</c>. Encryption, blind index and
    /// pseudonymization keys are never exported.
    /// </summary>
    /// <param name="name">The key's name, which is its key id.</param>
    /// <returns>
    /// A new array of <see cref="DataKey.MinimumKeySizeInBytes"/> to <see cref="DataKey.MaximumKeySizeInBytes"/>
    /// bytes that the caller owns; zero it (<c>CryptographicOperations.ZeroMemory</c>) when done if it is not
    /// kept for the life of the process. The key in the ring is unchanged.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key id.</exception>
    /// <exception cref="KeyNotFoundException">The ring holds no key named <paramref name="name"/>.</exception>
    /// <exception cref="InvalidOperationException">The key named <paramref name="name"/> has another purpose than <see cref="KeyPurpose.Application"/>.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public byte[] ExportApplicationKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!DataKey.IsValidKeyId(name))
        {
            throw new ArgumentException(
                CryptoHelpers.FormatInvariant($"'{name}' is not a valid key name: use 1 to {DataKey.MaximumKeyIdLength} characters from A-Z a-z 0-9 . _ -."),
                nameof(name));
        }

        if (!TryGetKey(name, out DataKey? key))
        {
            throw new KeyNotFoundException(CryptoHelpers.FormatInvariant(
                $"The key ring holds no application key named '{name}'. Add it to the key ring (see docs/runtime/key-management.md), for example as '{name}:BASE64' in the HIPAA_APPLICATION_KEYS environment variable or as an entry with purpose 'application' in the key ring file."));
        }

        if (key.Purpose != KeyPurpose.Application)
        {
            throw new InvalidOperationException(CryptoHelpers.FormatInvariant(
                $"The key '{name}' has the purpose '{KeyPurposeNames.ToText(key.Purpose)}'; only application keys can be exported. Add a separate key with purpose 'application' for code that needs raw key bytes."));
        }

        return key.GetMaterial().ToArray();
    }

    /// <summary>Finds a key by id.</summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="key">The key, when found.</param>
    /// <returns><see langword="true"/> when the ring holds a key with that id.</returns>
    public bool TryGetKey(string keyId, [NotNullWhen(true)] out DataKey? key)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        foreach (KeyRingEntry entry in _entries)
        {
            if (string.Equals(entry.Key.KeyId, keyId, StringComparison.Ordinal))
            {
                key = entry.Key;
                return true;
            }
        }

        key = null;
        return false;
    }

    /// <summary>
    /// Returns a ring with <paramref name="key"/> added. Adding it as <see cref="DataKeyStatus.Active"/>
    /// retires the previous active key of the same purpose, except for <see cref="KeyPurpose.Application"/>
    /// keys: each of them is its own key, so adding one leaves the others active.
    /// </summary>
    /// <param name="key">The key to add; its id must not be in the ring yet.</param>
    /// <param name="status">Its status: <see cref="DataKeyStatus.Staged"/> for the first step of a rotation.</param>
    /// <returns>The new ring; this one is unchanged.</returns>
    public KeyRing WithKey(DataKey key, DataKeyStatus status)
    {
        ArgumentNullException.ThrowIfNull(key);
        var added = new KeyRingEntry(key, status);
        IEnumerable<KeyRingEntry> existing = status == DataKeyStatus.Active ? RetireActive(key.Purpose) : _entries;
        return new KeyRing(existing.Append(added));
    }

    /// <summary>
    /// Returns a ring in which the key <paramref name="keyId"/> is active and the previous active key of
    /// its purpose is retired (other application keys stay active).
    /// </summary>
    /// <param name="keyId">The id of a staged or retired key in this ring.</param>
    /// <returns>The new ring; this one is unchanged.</returns>
    /// <exception cref="KeyNotFoundException">The ring holds no key with that id.</exception>
    public KeyRing WithActiveKey(string keyId)
    {
        DataKey key = GetRequiredKey(keyId);
        return new KeyRing(RetireActive(key.Purpose).Select(e =>
            ReferenceEquals(e.Key, key) ? new KeyRingEntry(key, DataKeyStatus.Active) : e));
    }

    /// <summary>
    /// Returns a ring without the key <paramref name="keyId"/>. Remove a retired key only after every value
    /// encrypted with it has been re-encrypted (see <see cref="FieldReEncryptor"/>): what it encrypted can
    /// no longer be decrypted.
    /// </summary>
    /// <param name="keyId">The id of a staged or retired key in this ring.</param>
    /// <returns>The new ring; this one is unchanged. The removed key is not disposed.</returns>
    /// <exception cref="KeyNotFoundException">The ring holds no key with that id.</exception>
    /// <exception cref="InvalidOperationException">The key is active: activate another key first.</exception>
    public KeyRing WithoutKey(string keyId)
    {
        DataKey key = GetRequiredKey(keyId);
        if (ReferenceEquals(GetActiveKey(key.Purpose), key))
        {
            throw new InvalidOperationException(CryptoHelpers.FormatInvariant($"The key '{keyId}' is the active {KeyPurposeNames.ToText(key.Purpose)} key; activate another key before removing it."));
        }

        return new KeyRing(_entries.Where(e => !ReferenceEquals(e.Key, key)));
    }

    /// <summary>
    /// Zeroes every key of this ring. Call it only as the owner of all of them, for example after
    /// <see cref="KeyRingFile.Load"/> in a tool; rings made from one another share keys, and a provider
    /// disposes the keys it loaded itself.
    /// </summary>
    public void DisposeKeys()
    {
        foreach (KeyRingEntry entry in _entries)
        {
            entry.Key.Dispose();
        }
    }

    /// <summary>Returns the number of keys and the active key ids; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("KeyRing (");
        text.Append(_entries.Length).Append(_entries.Length == 1 ? " key" : " keys");
        foreach (KeyPurpose purpose in new[] { KeyPurpose.Encryption, KeyPurpose.BlindIndex, KeyPurpose.Pseudonymization })
        {
            if (_active[(int)purpose] is { } active)
            {
                text.Append("; active ").Append(KeyPurposeNames.ToText(purpose)).Append(" key '").Append(active.KeyId).Append('\'');
            }
        }

        return text.Append(')').ToString();
    }

    /// <summary>Finds a key of <paramref name="purpose"/> by the ASCII bytes of its id, without allocating.</summary>
    internal DataKey? FindKey(KeyPurpose purpose, ReadOnlySpan<byte> keyId)
    {
        foreach (DataKey key in _byPurpose[(int)purpose])
        {
            if (key.KeyIdBytes.SequenceEqual(keyId))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>Returns the active key of <paramref name="purpose"/> or throws a configuration error that says how to add one.</summary>
    internal DataKey GetRequiredActiveKey(KeyPurpose purpose) =>
        GetActiveKey(purpose) ?? throw new PhiConfigurationException(
            CryptoHelpers.FormatInvariant($"The key ring has no active {KeyPurposeNames.ToText(purpose)} key. Add one to the key ring (see docs/runtime/key-management.md), for example in the HIPAA_{(purpose == KeyPurpose.BlindIndex ? "BLIND_INDEX_KEYS" : purpose == KeyPurpose.Pseudonymization ? "PSEUDONYMIZATION_KEY" : "ENCRYPTION_KEYS")} environment variable or in the key ring file."));

    private DataKey GetRequiredKey(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return TryGetKey(keyId, out DataKey? key)
            ? key
            : throw new KeyNotFoundException(CryptoHelpers.FormatInvariant($"The key ring holds no key with id '{keyId}'."));
    }

    /// <summary>The entries with the active key of <paramref name="purpose"/> retired; application keys are each their own and stay active.</summary>
    private IEnumerable<KeyRingEntry> RetireActive(KeyPurpose purpose) =>
        purpose == KeyPurpose.Application ? _entries : _entries.Select(e => e.Status == DataKeyStatus.Active && e.Key.Purpose == purpose
            ? new KeyRingEntry(e.Key, DataKeyStatus.Retired)
            : e);
}
