using System;
using System.Collections.Generic;
using System.Threading;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// An <see cref="IKeyRingProvider"/> that holds a key ring in memory, for tests and for applications
/// that load keys themselves. <see cref="Update(KeyRing)"/> swaps the ring atomically.
/// </summary>
/// <remarks>
/// The provider does not own the keys of the rings it is given, with one exception: the keys made by
/// <see cref="CreateRandom"/> belong to the provider and are zeroed when it is disposed.
/// </remarks>
public sealed class InMemoryKeyRingProvider : IKeyRingProvider, IDisposable
{
    private readonly List<DataKey> _ownedKeys = new();
    private KeyRing _keyRing;

    /// <summary>Initializes a new instance of the <see cref="InMemoryKeyRingProvider"/> class.</summary>
    /// <param name="keyRing">The key ring to supply.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyRing"/> is <see langword="null"/>.</exception>
    public InMemoryKeyRingProvider(KeyRing keyRing)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        _keyRing = keyRing;
    }

    /// <summary>
    /// Creates a provider with a ring of fresh random keys: one active key per purpose, with the ids
    /// <c>test-encryption</c>, <c>test-blind-index</c> and <c>test-pseudonymization</c>. For tests only:
    /// the keys live and die with the provider.
    /// </summary>
    /// <param name="timeProvider">The clock for the keys' creation time; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The provider, which owns the keys.</returns>
    public static InMemoryKeyRingProvider CreateRandom(TimeProvider? timeProvider = null)
    {
        DateTimeOffset now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var keys = new[]
        {
            DataKey.Generate("test-encryption", KeyPurpose.Encryption, now),
            DataKey.Generate("test-blind-index", KeyPurpose.BlindIndex, now),
            DataKey.Generate("test-pseudonymization", KeyPurpose.Pseudonymization, now),
        };
        var provider = new InMemoryKeyRingProvider(new KeyRing(Array.ConvertAll(keys, k => new KeyRingEntry(k, DataKeyStatus.Active))));
        provider._ownedKeys.AddRange(keys);
        return provider;
    }

    /// <inheritdoc/>
    public KeyRing GetKeyRing() => Volatile.Read(ref _keyRing);

    /// <summary>Replaces the key ring; operations that start afterwards use the new one.</summary>
    /// <param name="keyRing">The new key ring.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyRing"/> is <see langword="null"/>.</exception>
    public void Update(KeyRing keyRing)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        Volatile.Write(ref _keyRing, keyRing);
    }

    /// <summary>Returns a description of the current ring; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "InMemoryKeyRingProvider: " + GetKeyRing();

    /// <summary>Zeroes the keys made by <see cref="CreateRandom"/>; keys passed in are left to their owner.</summary>
    public void Dispose()
    {
        foreach (DataKey key in _ownedKeys)
        {
            key.Dispose();
        }
    }
}
