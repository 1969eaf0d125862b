using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// What the shared models build once per bound body (the values written into its locals, the reads of each symbol, the
/// assignments that reach each use, the route group locals, the traced log calls), kept in one weak entry keyed by the
/// body's root operation. Each weak entry takes a lock and a GC handle when it is added; one per body for all of them
/// costs a fifth of one per index, and the body's operations keep the entry alive exactly as long as a rule can ask.
/// </summary>
internal sealed class BodyCache
{
    /// <summary>Slots are handed out to the models' static fields once; more would be a new kind of index.</summary>
    private const int MaxSlots = 8;

    private static readonly ConditionalWeakTable<IOperation, BodyCache> Bodies = new();
    private static int s_slots;

    private readonly object?[] _values = new object?[MaxSlots];

    private BodyCache(IOperation root) => Root = root;

    /// <summary>The outermost operation of the body.</summary>
    public IOperation Root { get; }

    /// <summary>The cache of the body that holds <paramref name="anyOperationInBody"/>.</summary>
    public static BodyCache For(IOperation anyOperationInBody)
    {
        var root = anyOperationInBody;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return Bodies.TryGetValue(root, out var cache) ? cache : Bodies.GetValue(root, r => new BodyCache(r));
    }

    /// <summary>A slot for one kind of index, taken by a model's static field.</summary>
    public static Slot<T> NewSlot<T>()
        where T : class
    {
        var index = Interlocked.Increment(ref s_slots) - 1;
        if (index >= MaxSlots)
        {
            throw new InvalidOperationException("BodyCache has room for " + MaxSlots + " kinds of index; raise MaxSlots.");
        }

        return new Slot<T>(index);
    }

    /// <summary>
    /// The slot's value for this body, made from the root the first time it is asked for. Two threads may make it at
    /// once; the first stored is the one both get.
    /// </summary>
    public T Get<T>(Slot<T> slot, Func<IOperation, T> create)
        where T : class
    {
        if (Volatile.Read(ref _values[slot.Index]) is T known)
        {
            return known;
        }

        var made = create(Root);
        return Interlocked.CompareExchange(ref _values[slot.Index], made, null) as T ?? made;
    }

    /// <summary>One kind of index kept per body.</summary>
    public sealed class Slot<T>
        where T : class
    {
        internal Slot(int index) => Index = index;

        internal int Index { get; }
    }
}
