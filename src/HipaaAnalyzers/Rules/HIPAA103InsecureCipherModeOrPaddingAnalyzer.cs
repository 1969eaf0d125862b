using System.Collections.Immutable;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA103: what is broken whatever the context: ECB, and RSA encryption with PKCS#1 v1.5 padding. A mode without
/// authentication (CBC, CFB, OFB, CTS) is HIPAA110's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA103InsecureCipherModeOrPaddingAnalyzer : DiagnosticAnalyzer
{
    private const string EcbWhy = "identical plaintext blocks encrypt to identical ciphertext blocks, so patterns in the data show";
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

    /// <summary><c>Mode = CipherMode.ECB</c>, also in object initializers.</summary>
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

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string what, string problem, string why, string kind = CryptoProperties.SymmetricKind)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(CryptoProperties.Kind, kind);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.InsecureCipherModeOrPadding, syntax.GetLocation(), properties, what, problem, why));
    }
}
