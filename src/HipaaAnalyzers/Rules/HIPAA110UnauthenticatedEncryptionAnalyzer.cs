using System.Collections.Immutable;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA110: encryption without authentication: CBC, CFB, OFB or CTS (set as the mode, the one-shot
/// <c>EncryptCbc</c>/<c>EncryptCfb</c> APIs, or CBC by default on an algorithm created in the method) with no MAC
/// computed in the method or anywhere in its type (the encrypt-then-MAC pattern). A cipher HIPAA102 already reports
/// (DES, Triple DES, RC2) is not reported again for its mode.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA110UnauthenticatedEncryptionAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnauthenticatedEncryption);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
    }

    /// <summary><c>Mode = CipherMode.CBC</c> (CFB, OFB, CTS), also in object initializers.</summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "Mode" } property ||
            !CryptoSymbols.DerivesFromCrypto(property.Property.ContainingType, "SymmetricAlgorithm") ||
            CryptoSymbols.SkipConversions(assignment.Value) is not IFieldReferenceOperation { Field: { Name: "CBC" or "CFB" or "OFB" or "CTS" } field } ||
            !CryptoSymbols.IsCrypto(field.ContainingType, "CipherMode") ||
            CryptoAlgorithms.CipherOf(property.Instance?.Type ?? property.Property.ContainingType) is not null ||
            CipherModes.TypeComputesMac(assignment, context.CancellationToken))
        {
            return;
        }

        Report(context, assignment.Syntax, "CipherMode." + field.Name, field.Name);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.IsStatic || !CryptoSymbols.DerivesFromCrypto(method.ContainingType, "SymmetricAlgorithm") ||
            CryptoAlgorithms.CipherOf(invocation.Instance?.Type ?? method.ContainingType) is not null)
        {
            return;
        }

        switch (method.Name)
        {
            case "EncryptCbc" or "DecryptCbc" or "TryEncryptCbc" or "TryDecryptCbc" or "EncryptCfb" or "DecryptCfb" or "TryEncryptCfb" or "TryDecryptCfb":
                if (!CipherModes.TypeComputesMac(invocation, context.CancellationToken))
                {
                    Report(context, invocation.Syntax, method.ContainingType.Name + "." + method.Name, method.Name.Contains("Cbc") ? "CBC" : "CFB");
                }

                return;
            case "CreateEncryptor" or "CreateDecryptor":
                // A local created in this method whose Mode is never set runs in CBC, the default.
                if (invocation.Instance is ILocalReferenceOperation { Local: { } local } &&
                    CipherModes.IsCreatedHereWithDefaultMode(invocation, local) && !CipherModes.TypeComputesMac(invocation, context.CancellationToken))
                {
                    Report(context, invocation.Syntax, local.Name + "." + method.Name, "CBC (the default mode)");
                }

                return;
        }
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string what, string mode)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(CryptoProperties.Kind, CryptoProperties.SymmetricKind);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnauthenticatedEncryption, syntax.GetLocation(), properties, what, mode));
    }
}
