using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>
/// Type and namespace checks by name, for rules that recognize framework and library types without resolving them per
/// compilation. The type's simple name is compared first and namespaces part by part, so a check allocates nothing and
/// most end at one string comparison.
/// </summary>
internal static class TypeNames
{
    /// <summary>Whether <paramref name="type"/> is <paramref name="ns"/>.<paramref name="name"/>.</summary>
    public static bool Is(ITypeSymbol? type, string ns, string name) =>
        type is INamedTypeSymbol named && named.Name == name && IsInNamespace(named.ContainingNamespace, ns);

    /// <summary>Whether <paramref name="type"/> is the top-level type with this full metadata name ("System.Convert").</summary>
    public static bool Is(ITypeSymbol? type, string fullName)
    {
        if (type is not INamedTypeSymbol { ContainingType: null } named)
        {
            return false;
        }

        int dot = fullName.LastIndexOf('.');
        var name = named.MetadataName;
        if (name.Length != fullName.Length - dot - 1 || string.CompareOrdinal(name, 0, fullName, dot + 1, name.Length) != 0)
        {
            return false;
        }

        return dot < 0
            ? named.ContainingNamespace is null || named.ContainingNamespace.IsGlobalNamespace
            : IsInNamespace(named.ContainingNamespace, fullName, dot);
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="ns"/>.<paramref name="name"/> or derives from it.</summary>
    public static bool DerivesFrom(ITypeSymbol? type, string ns, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (Is(t, ns, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is the type with this full metadata name or derives from it.</summary>
    public static bool DerivesFrom(ITypeSymbol? type, string fullName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (Is(t, fullName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="ns"/> is the namespace written as <paramref name="dotted"/> ("System.Net.Http").</summary>
    public static bool IsInNamespace(INamespaceSymbol? ns, string dotted) => IsInNamespace(ns, dotted, dotted.Length);

    /// <summary>Whether <paramref name="ns"/> is <paramref name="dotted"/> or a namespace inside it.</summary>
    public static bool IsInOrUnderNamespace(INamespaceSymbol? ns, string dotted)
    {
        for (; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (IsInNamespace(ns, dotted))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compares <paramref name="ns"/> with the first <paramref name="end"/> characters of <paramref name="dotted"/>.</summary>
    private static bool IsInNamespace(INamespaceSymbol? ns, string dotted, int end)
    {
        while (ns is not null && !ns.IsGlobalNamespace)
        {
            int start = end == 0 ? 0 : dotted.LastIndexOf('.', end - 1) + 1;
            int length = end - start;
            if (length <= 0 || ns.Name.Length != length || string.CompareOrdinal(ns.Name, 0, dotted, start, length) != 0)
            {
                return false;
            }

            ns = ns.ContainingNamespace;
            end = start - 1;
            if (end < 0)
            {
                return ns is null || ns.IsGlobalNamespace;
            }
        }

        return false;
    }
}
