using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Cryptography;

/// <summary>
/// Name checks for the .NET cryptography and networking types the crypto rules know, by full name, without resolving
/// symbols: a type is compared by its name first, then its namespace, so most checks end at one string comparison.
/// </summary>
internal static class CryptoSymbols
{
    public const string CryptographyNamespace = "System.Security.Cryptography";

    /// <summary>Whether <paramref name="type"/> is the type <paramref name="ns"/>.<paramref name="name"/>.</summary>
    public static bool Is(ITypeSymbol? type, string ns, string name) =>
        type is INamedTypeSymbol named && named.Name == name && IsInNamespace(named.ContainingNamespace, ns);

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

    public static bool IsCrypto(ITypeSymbol? type, string name) => Is(type, CryptographyNamespace, name);

    public static bool DerivesFromCrypto(ITypeSymbol? type, string name) => DerivesFrom(type, CryptographyNamespace, name);

    /// <summary>Whether <paramref name="ns"/> is the namespace written as <paramref name="dotted"/> ("System.Net.Http").</summary>
    public static bool IsInNamespace(INamespaceSymbol? ns, string dotted)
    {
        int end = dotted.Length;
        while (ns is not null && !ns.IsGlobalNamespace)
        {
            int start = dotted.LastIndexOf('.', end - 1) + 1;
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

    /// <summary>The operation without the implicit and explicit conversions and parentheses around it.</summary>
    public static IOperation SkipConversions(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The first parent that is not a conversion or parentheses.</summary>
    public static IOperation? ParentSkippingConversions(IOperation operation, out IOperation child)
    {
        child = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>The outermost operation of the member body that contains <paramref name="operation"/> (lambdas included).</summary>
    public static IOperation Root(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root;
    }

    /// <summary>A constant integer value, if the operation has one.</summary>
    public static bool TryGetInt(IOperation operation, out int value)
    {
        value = 0;
        var constant = operation.ConstantValue;
        if (!constant.HasValue || constant.Value is null)
        {
            return false;
        }

        switch (constant.Value)
        {
            case int i:
                value = i;
                return true;
            case short s:
                value = s;
                return true;
            case long l when l is >= int.MinValue and <= int.MaxValue:
                value = (int)l;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A short display of a method for messages: "MD5.Create", "new HMACMD5".</summary>
    public static string Display(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Constructor
            ? "new " + method.ContainingType.Name
            : method.ContainingType.Name + "." + method.Name;
}
