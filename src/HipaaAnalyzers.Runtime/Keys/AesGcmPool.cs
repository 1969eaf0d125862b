using System;
using System.Security.Cryptography;
using System.Threading;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// A small lock-free pool of <see cref="AesGcm"/> instances for one key. An instance is not safe for
/// concurrent use, and creating one per operation costs a key schedule; the pool gives each concurrent
/// caller its own instance and reuses them.
/// </summary>
internal sealed class AesGcmPool : IDisposable
{
    private readonly byte[] _key;
    private readonly AesGcm?[] _slots;
    private volatile bool _disposed;

    public AesGcmPool(byte[] key)
    {
        _key = key;
        // A power of two, so a thread's first slot is a mask away.
        _slots = new AesGcm?[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, Environment.ProcessorCount * 2))];
    }

    public AesGcm Rent()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(DataKey), "The data key has been disposed.");
        }

        AesGcm?[] slots = _slots;
        int mask = slots.Length - 1;
        int start = Environment.CurrentManagedThreadId;
        for (int i = 0; i < slots.Length; i++)
        {
            int index = (start + i) & mask;
            if (Volatile.Read(ref slots[index]) is not null)
            {
                AesGcm? item = Interlocked.Exchange(ref slots[index], null);
                if (item is not null)
                {
                    return item;
                }
            }
        }

        return new AesGcm(_key, CiphertextFormat.TagSize);
    }

    public void Return(AesGcm item)
    {
        if (!_disposed)
        {
            AesGcm?[] slots = _slots;
            int mask = slots.Length - 1;
            int start = Environment.CurrentManagedThreadId;
            for (int i = 0; i < slots.Length; i++)
            {
                int index = (start + i) & mask;
                if (Interlocked.CompareExchange(ref slots[index], item, null) is null)
                {
                    if (_disposed)
                    {
                        // Dispose ran while the item was being returned: take it back out.
                        Interlocked.Exchange(ref slots[index], null)?.Dispose();
                    }

                    return;
                }
            }
        }

        item.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        for (int i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
        }
    }
}
