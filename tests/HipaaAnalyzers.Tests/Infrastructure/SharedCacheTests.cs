using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using Xunit;

namespace HipaaAnalyzers.Tests.Infrastructure;

public class SharedCacheTests
{
    [Fact]
    public void Every_caller_gets_the_value_first_added_for_a_key_while_threads_add_at_once()
    {
        var cache = new SharedCache<int, object>(EqualityComparer.Instance);
        var seen = new ConcurrentDictionary<int, ConcurrentBag<object>>();
        using var start = new Barrier(4);
        var workers = Enumerable.Range(0, 4).Select(worker => new Thread(() =>
        {
            start.SignalAndWait();
            for (int round = 0; round < 20_000; round++)
            {
                int key = (round * 7 + worker) % 5_000;
                var value = cache.GetOrAdd(key, _ => new object());
                seen.GetOrAdd(key, _ => new ConcurrentBag<object>()).Add(value);
            }
        })).ToArray();
        foreach (var thread in workers)
        {
            thread.Start();
        }

        foreach (var thread in workers)
        {
            thread.Join();
        }

        Assert.Equal(5_000, seen.Count);
        foreach (var (key, values) in seen)
        {
            Assert.True(cache.TryGetValue(key, out var stored));
            Assert.All(values, value => Assert.Same(stored, value));
        }
    }

    [Fact]
    public void A_factory_may_ask_the_same_cache_for_other_keys()
    {
        var cache = new SharedCache<int, long>(EqualityComparer.Instance);
        long Fibonacci(int n) => n < 2 ? n : cache.GetOrAdd(n, k => Fibonacci(k - 1) + Fibonacci(k - 2));

        Assert.Equal(12_586_269_025L, Fibonacci(50));
        Assert.True(cache.ContainsKey(49));
        Assert.False(cache.TryAdd(49, 0));
        Assert.True(cache.TryAdd(51, 1));
        Assert.Equal(1, cache.GetOrAdd(51, 2));
    }

    private sealed class EqualityComparer : System.Collections.Generic.IEqualityComparer<int>
    {
        public static readonly EqualityComparer Instance = new();

        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => obj;
    }
}
