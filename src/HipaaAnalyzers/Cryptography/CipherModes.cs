using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Cryptography;

/// <summary>
/// Cipher modes as the cryptography rules see them: whether a symmetric algorithm created in a method keeps the default
/// mode (CBC), and whether the code computes a MAC next to it (encrypt-then-MAC), in the method or in its type.
/// </summary>
internal static class CipherModes
{
    /// <summary>
    /// Whether the local was initialized in this method (<c>using var aes = Aes.Create();</c>) and its Mode is never
    /// assigned in this method, so it keeps the default, CBC.
    /// </summary>
    public static bool IsCreatedHereWithDefaultMode(IOperation operation, ILocalSymbol local)
    {
        var root = CryptoSymbols.Root(operation);
        bool created = false;
        foreach (var descendant in root.Descendants())
        {
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (declarator.GetVariableInitializer() is not { } initializer || !IsSymmetricFactory(initializer.Value))
                    {
                        return false;
                    }

                    created = true;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Mode" } mode }:
                    switch (mode.Instance)
                    {
                        case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                            return false;
                        case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                            // Mode set in the object initializer of the local's creation.
                            if (IsInInitializerOf(descendant, local))
                            {
                                return false;
                            }

                            break;
                    }

                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return false;
            }
        }

        return created;
    }

    private static bool IsInInitializerOf(IOperation assignment, ILocalSymbol local)
    {
        for (var p = assignment.Parent; p is not null; p = p.Parent)
        {
            if (p is IVariableDeclaratorOperation declarator)
            {
                return SymbolEqualityComparer.Default.Equals(declarator.Symbol, local);
            }
        }

        return false;
    }

    private static bool IsSymmetricFactory(IOperation value)
    {
        value = CryptoSymbols.SkipConversions(value);
        return value switch
        {
            IObjectCreationOperation creation => CryptoSymbols.DerivesFromCrypto(creation.Type, "SymmetricAlgorithm"),
            IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Create" } method } => CryptoSymbols.DerivesFromCrypto(method.ReturnType, "SymmetricAlgorithm"),
            _ => false,
        };
    }

    /// <summary>
    /// Encrypt-then-MAC: the method (lambdas and local functions included) creates an HMAC, calls a one-shot HMAC API or
    /// IncrementalHash.CreateHMAC. Whether the MAC covers the ciphertext and IV is not checked.
    /// </summary>
    public static bool ComputesMac(IOperation operation)
    {
        foreach (var descendant in CryptoSymbols.Root(operation).Descendants())
        {
            switch (descendant)
            {
                case IObjectCreationOperation creation when CryptoSymbols.DerivesFromCrypto(creation.Type, "HMAC") || CryptoSymbols.DerivesFromCrypto(creation.Type, "KeyedHashAlgorithm"):
                    return true;
                case IInvocationOperation { TargetMethod: { IsStatic: true } method }:
                    if (method.Name is "HashData" or "HashDataAsync" or "TryHashData" && CryptoSymbols.DerivesFromCrypto(method.ContainingType, "HMAC") ||
                        method.Name == "CreateHMAC" && CryptoSymbols.IsCrypto(method.ContainingType, "IncrementalHash") ||
                        method.Name is "HmacData" or "HmacDataAsync" or "TryHmacData" && CryptoSymbols.IsCrypto(method.ContainingType, "CryptographicOperations") ||
                        method.Name == "Create" && CryptoSymbols.DerivesFromCrypto(method.ReturnType, "HMAC"))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the type that holds <paramref name="operation"/> computes a MAC anywhere: a MAC over IV and ciphertext is
    /// often computed in a method of its own (<c>Seal</c> encrypts, <c>Tag</c> MACs). Judged from the type's source text
    /// (an HMAC type or API named in it), so a type that never mentions one is the only one reported.
    /// </summary>
    public static bool TypeComputesMac(IOperation operation, System.Threading.CancellationToken cancellationToken)
    {
        if (ComputesMac(operation))
        {
            return true;
        }

        var type = operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart, cancellationToken)?.ContainingType;
        for (; type is not null; type = type.ContainingType)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var text = reference.GetSyntax(cancellationToken).ToString();
                if (text.IndexOf("HMAC", System.StringComparison.Ordinal) >= 0 || text.IndexOf("HmacData", System.StringComparison.Ordinal) >= 0 ||
                    text.IndexOf("KeyedHashAlgorithm", System.StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
