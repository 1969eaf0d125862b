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

        // The simple name first: a generic type's metadata name ("List`1") is a string built on each read of MetadataName.
        int dot = fullName.LastIndexOf('.');
        int start = dot + 1;
        int tick = fullName.IndexOf('`', start);
        int end = tick < 0 ? fullName.Length : tick;
        var name = named.Name;
        if (name.Length != end - start || string.CompareOrdinal(name, 0, fullName, start, name.Length) != 0)
        {
            return false;
        }

        if (named.Arity != Arity(fullName, tick))
        {
            // A metadata name that does not follow the arity convention is compared whole.
            var metadataName = named.MetadataName;
            if (metadataName.Length != fullName.Length - start || string.CompareOrdinal(metadataName, 0, fullName, start, metadataName.Length) != 0)
            {
                return false;
            }
        }

        return dot < 0
            ? named.ContainingNamespace is null || named.ContainingNamespace.IsGlobalNamespace
            : IsInNamespace(named.ContainingNamespace, fullName, dot);
    }

    /// <summary>
    /// The arity written after the backtick at <paramref name="tick"/> ("Counter`1"), 0 when there is none (a negative
    /// <paramref name="tick"/>), -1 when what follows it is not a number.
    /// </summary>
    internal static int Arity(string fullName, int tick)
    {
        if (tick < 0)
        {
            return 0;
        }

        int arity = 0;
        for (int i = tick + 1; i < fullName.Length; i++)
        {
            char c = fullName[i];
            if (c < '0' || c > '9')
            {
                return -1;
            }

            arity = (arity * 10) + (c - '0');
        }

        return arity;
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
            // The segment that ends at end must be this namespace's name, preceded by a dot or the start of the text.
            var name = ns.Name;
            int start = end - name.Length;
            if (name.Length == 0 || start < 0 || (start > 0 && dotted[start - 1] != '.') ||
                string.CompareOrdinal(name, 0, dotted, start, name.Length) != 0)
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
