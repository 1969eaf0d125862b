using System.Collections.Immutable;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA103: ECB; CBC, CFB, OFB and CTS without authentication (no HMAC computed in the same method, the
/// encrypt-then-MAC pattern); RSA encryption with PKCS#1 v1.5 padding.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA103InsecureCipherModeOrPaddingAnalyzer : DiagnosticAnalyzer
{
    private const string EcbWhy = "identical plaintext blocks encrypt to identical ciphertext blocks, so patterns in the data show";
    private const string UnauthenticatedWhy = "without a MAC the ciphertext can be changed undetected, and padding errors become a decryption oracle";
    private const string Pkcs1Why = "PKCS#1 v1.5 encryption padding is open to chosen-ciphertext (Bleichenbacher) attacks; use OAEP";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InsecureCipherModeOrPadding);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzePaddingReference, OperationKind.PropertyReference);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
    }

    /// <summary><c>Mode = CipherMode.ECB</c>, also in object initializers; CBC/CFB/OFB/CTS unless the method computes an HMAC.</summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "Mode" } property ||
            !CryptoSymbols.DerivesFromCrypto(property.Property.ContainingType, "SymmetricAlgorithm") ||
            CryptoSymbols.SkipConversions(assignment.Value) is not IFieldReferenceOperation { Field: { } field } ||
            !CryptoSymbols.IsCrypto(field.ContainingType, "CipherMode"))
        {
            return;
        }

        switch (field.Name)
        {
            case "ECB":
                Report(context, assignment.Syntax, "CipherMode.ECB", "ECB", EcbWhy);
                break;
            case "CBC":
            case "CFB":
            case "OFB":
            case "CTS":
                if (!ComputesMac(assignment))
                {
                    Report(context, assignment.Syntax, "CipherMode." + field.Name, field.Name + " without authentication", UnauthenticatedWhy);
                }

                break;
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.IsStatic)
        {
            return;
        }

        var type = method.ContainingType;
        if (CryptoSymbols.DerivesFromCrypto(type, "SymmetricAlgorithm"))
        {
            AnalyzeSymmetricCall(context, invocation, method);
        }
        else if (method.Name is "Encrypt" or "Decrypt" or "TryEncrypt" or "TryDecrypt" &&
                 CryptoSymbols.DerivesFromCrypto(type, "RSA"))
        {
            // RSACryptoServiceProvider.Encrypt(data, fOAEP: false) is PKCS#1 v1.5.
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { Type.SpecialType: SpecialType.System_Boolean } &&
                    argument.Value.ConstantValue is { HasValue: true, Value: false })
                {
                    Report(context, argument.Value.Syntax, type.Name + "." + method.Name, "PKCS#1 v1.5 padding", Pkcs1Why, CryptoProperties.RsaPaddingKind);
                }
            }
        }
    }

    private static void AnalyzeSymmetricCall(OperationAnalysisContext context, IInvocationOperation invocation, IMethodSymbol method)
    {
        switch (method.Name)
        {
            case "EncryptEcb":
            case "DecryptEcb":
            case "TryEncryptEcb":
            case "TryDecryptEcb":
                Report(context, invocation.Syntax, method.ContainingType.Name + "." + method.Name, "ECB", EcbWhy);
                return;
            case "EncryptCbc":
            case "DecryptCbc":
            case "TryEncryptCbc":
            case "TryDecryptCbc":
            case "EncryptCfb":
            case "DecryptCfb":
            case "TryEncryptCfb":
            case "TryDecryptCfb":
                if (!ComputesMac(invocation))
                {
                    var mode = method.Name.Contains("Cbc") ? "CBC" : "CFB";
                    Report(context, invocation.Syntax, method.ContainingType.Name + "." + method.Name, mode + " without authentication", UnauthenticatedWhy);
                }

                return;
            case "CreateEncryptor":
            case "CreateDecryptor":
                // A local created in this method whose Mode is never set runs in CBC, the default.
                if (invocation.Instance is ILocalReferenceOperation { Local: { } local } &&
                    IsCreatedHereWithDefaultMode(invocation, local) && !ComputesMac(invocation))
                {
                    Report(context, invocation.Syntax, local.Name + "." + method.Name, "CBC (the default mode) without authentication", UnauthenticatedWhy);
                }

                return;
        }
    }

    /// <summary><c>RSAEncryptionPadding.Pkcs1</c> anywhere except in a comparison.</summary>
    private static void AnalyzePaddingReference(OperationAnalysisContext context)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property is not { Name: "Pkcs1", IsStatic: true } property ||
            !CryptoSymbols.IsCrypto(property.ContainingType, "RSAEncryptionPadding"))
        {
            return;
        }

        var parent = CryptoSymbols.ParentSkippingConversions(reference, out _);
        if (parent is IBinaryOperation or IIsPatternOperation or IPatternOperation or IInvocationOperation { TargetMethod.Name: "Equals" })
        {
            return;
        }

        Report(context, reference.Syntax, "RSAEncryptionPadding.Pkcs1", "PKCS#1 v1.5 padding", Pkcs1Why, CryptoProperties.RsaPaddingKind);
    }

    /// <summary>RSAPKCS1KeyExchangeFormatter / Deformatter wrap keys with PKCS#1 v1.5.</summary>
    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is { Name: "RSAPKCS1KeyExchangeFormatter" or "RSAPKCS1KeyExchangeDeformatter" } type &&
            CryptoSymbols.IsCrypto(type, type.Name))
        {
            Report(context, creation.Syntax, "new " + type.Name, "PKCS#1 v1.5 key exchange", Pkcs1Why, CryptoProperties.RsaPaddingKind);
        }
    }

    /// <summary>
    /// Whether the local was initialized in this method (<c>using var aes = Aes.Create();</c>) and its Mode is never
    /// assigned in this method, so it keeps the default, CBC.
    /// </summary>
    private static bool IsCreatedHereWithDefaultMode(IOperation operation, ILocalSymbol local)
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
    internal static bool ComputesMac(IOperation operation)
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

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string what, string problem, string why, string kind = CryptoProperties.SymmetricKind)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(CryptoProperties.Kind, kind);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.InsecureCipherModeOrPadding, syntax.GetLocation(), properties, what, problem, why));
    }
}
