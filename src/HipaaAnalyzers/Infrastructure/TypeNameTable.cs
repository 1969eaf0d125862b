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
    // Keyed by the simple name, with the arity beside the namespace: a generic type's metadata name ("List`1") is a
    // string built on each read of MetadataName, and this is asked for the containing type of every call.
    private readonly Dictionary<string, List<(string Namespace, int Arity, T Value)>> _byName = new(StringComparer.Ordinal);

    /// <summary>The value kept for <paramref name="fullName"/>, added by <paramref name="create"/> the first time.</summary>
    public T GetOrAdd(string fullName, Func<T> create)
    {
        int dot = fullName.LastIndexOf('.');
        var metadataName = fullName.Substring(dot + 1);
        var ns = fullName.Substring(0, dot);
        int tick = metadataName.IndexOf('`');
        var name = tick < 0 ? metadataName : metadataName.Substring(0, tick);
        int arity = TypeNames.Arity(metadataName, tick);
        if (!_byName.TryGetValue(name, out var entries))
        {
            _byName[name] = entries = new List<(string, int, T)>();
        }

        foreach (var (existing, existingArity, value) in entries)
        {
            if (existing == ns && existingArity == arity)
            {
                return value;
            }
        }

        var created = create();
        entries.Add((ns, arity, created));
        return created;
    }

    /// <summary>The value kept for <paramref name="type"/> (its original definition's name), if any.</summary>
    public bool TryGet(INamedTypeSymbol? type, out T value)
    {
        if (type is { ContainingType: null } && _byName.TryGetValue(type.Name, out var entries))
        {
            foreach (var (ns, arity, candidate) in entries)
            {
                if (type.Arity == arity && TypeNames.IsInNamespace(type.ContainingNamespace, ns))
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
