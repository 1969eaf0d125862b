using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// Compares by identity: for keys that are the same object whenever they are the same thing (one configuration
/// object), where a structural comparison would cost more than the lookup saves.
/// </summary>
internal sealed class SameObject<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly SameObject<T> Instance = new();

    private SameObject()
    {
    }

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
