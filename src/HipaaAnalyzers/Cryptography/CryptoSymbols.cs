using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Cryptography;

/// <summary>
/// Name checks for the .NET cryptography types the crypto rules know (see <see cref="TypeNames"/>), and the operation
/// helpers they share.
/// </summary>
internal static class CryptoSymbols
{
    public const string CryptographyNamespace = "System.Security.Cryptography";

    public static bool IsCrypto(ITypeSymbol? type, string name) => TypeNames.Is(type, CryptographyNamespace, name);

    public static bool DerivesFromCrypto(ITypeSymbol? type, string name) => TypeNames.DerivesFrom(type, CryptographyNamespace, name);

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
