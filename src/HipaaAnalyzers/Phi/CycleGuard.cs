using System;
using System.Collections.Generic;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// Tracks the computations in progress on one thread (a type's members, a method's body), so recursion through a
/// cycle (Patient.Guardian : Patient, mutually recursive methods) ends, and tells which results are complete.
/// A result that depended on an unfinished ancestor is not complete and must not be cached: another thread,
/// or another entry point, would see a different answer.
/// </summary>
internal sealed class CycleGuard<TKey>
    where TKey : class
{
    private readonly List<TKey> _stack = new();
    private readonly IEqualityComparer<TKey> _comparer;
    private int _cutIndex = int.MaxValue;

    public CycleGuard(IEqualityComparer<TKey> comparer) => _comparer = comparer;

    /// <summary>Starts computing <paramref name="key"/>; false when it is already being computed further up.</summary>
    public bool TryEnter(TKey key)
    {
        for (int i = 0; i < _stack.Count; i++)
        {
            if (_comparer.Equals(_stack[i], key))
            {
                _cutIndex = Math.Min(_cutIndex, i);
                return false;
            }
        }

        _stack.Add(key);
        return true;
    }

    /// <summary>A bound (depth, budget) cut the computation short: nothing in progress is complete.</summary>
    public void MarkIncomplete() => _cutIndex = 0;

    /// <summary>Ends the innermost computation; true when its result may be cached.</summary>
    public bool Exit()
    {
        int index = _stack.Count - 1;
        _stack.RemoveAt(index);
        bool complete = _cutIndex >= index;
        if (complete || index == 0)
        {
            _cutIndex = int.MaxValue;
        }

        return complete;
    }
}
