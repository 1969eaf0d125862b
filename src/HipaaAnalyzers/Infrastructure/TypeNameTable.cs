using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// Values kept by a top-level type's full metadata name ("System.Diagnostics.Metrics.Counter`1") and found for a type
/// symbol by its metadata name, then its namespace. Rules that know the framework types they care about use it instead
/// of looking the types up per compilation: each keystroke in the IDE is a new compilation, and a type lookup on a new
/// compilation merges the declarations of every file. Filled once, then only read.
/// </summary>
internal sealed class TypeNameTable<T>
{
    private readonly Dictionary<string, List<(string Namespace, T Value)>> _byName = new(StringComparer.Ordinal);

    /// <summary>The value kept for <paramref name="fullName"/>, added by <paramref name="create"/> the first time.</summary>
    public T GetOrAdd(string fullName, Func<T> create)
    {
        int dot = fullName.LastIndexOf('.');
        var name = fullName.Substring(dot + 1);
        var ns = fullName.Substring(0, dot);
        if (!_byName.TryGetValue(name, out var entries))
        {
            _byName[name] = entries = new List<(string, T)>();
        }

        foreach (var (existing, value) in entries)
        {
            if (existing == ns)
            {
                return value;
            }
        }

        var created = create();
        entries.Add((ns, created));
        return created;
    }

    /// <summary>The value kept for <paramref name="type"/> (its original definition's name), if any.</summary>
    public bool TryGet(INamedTypeSymbol? type, out T value)
    {
        if (type is { ContainingType: null } && _byName.TryGetValue(type.MetadataName, out var entries))
        {
            foreach (var (ns, candidate) in entries)
            {
                if (TypeNames.IsInNamespace(type.ContainingNamespace, ns))
                {
                    value = candidate;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }
}
