using System.Collections.Immutable;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA102: DES, Triple DES and RC2 created by type, by factory or by algorithm name, and Rijndael given a block size
/// other than AES's 128 bits.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA102DisallowedCipherAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.DisallowedCipher);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (CryptoAlgorithms.CipherOf(creation.Type) is { } cipher)
        {
            Report(context, creation.Syntax, "new " + creation.Type!.Name, cipher);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!method.IsStatic || method.Name is not ("Create" or "CreateFromName"))
        {
            return;
        }

        var type = method.ContainingType;
        if (method.Name == "Create" && invocation.Arguments.Length == 0)
        {
            if (CryptoAlgorithms.CipherOf(type) is { } cipher)
            {
                Report(context, invocation.Syntax, CryptoSymbols.Display(method), cipher);
            }

            return;
        }

        // SymmetricAlgorithm.Create("DES"), CryptoConfig.CreateFromName("RC2"), TripleDES.Create("3DES").
        bool byName = method.Name == "Create" && (CryptoSymbols.DerivesFromCrypto(type, "SymmetricAlgorithm") || CryptoSymbols.DerivesFromCrypto(type, "KeyedHashAlgorithm")) ||
                      method.Name == "CreateFromName" && CryptoSymbols.IsCrypto(type, "CryptoConfig");
        // The name is followed through the value flow: fallbacks, branches, locals, parameters, returns and fields.
        if (!byName || invocation.Arguments.Length == 0)
        {
            return;
        }

        foreach (var name in ValueFlow.Strings(invocation.Arguments[0].Value))
        {
            if (CryptoAlgorithms.CipherOfName(name) is { } named)
            {
                Report(context, invocation.Syntax, CryptoSymbols.Display(method) + "(\"" + name + "\")", named);
                return;
            }
        }
    }

    /// <summary>Rijndael with a block size other than 128 bits is not AES (FIPS 197 fixes AES's block at 128 bits).</summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property.Name: "BlockSize" } property &&
            CryptoSymbols.DerivesFromCrypto(property.Instance?.Type ?? property.Property.ContainingType, "Rijndael") &&
            CryptoSymbols.TryGetInt(assignment.Value, out var blockSize) && blockSize != 128)
        {
            Report(context, assignment.Syntax, (property.Instance?.Type ?? property.Property.ContainingType).Name + ".BlockSize",
                "Rijndael with a " + blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-bit block (not AES)");
        }
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string what, string cipher) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.DisallowedCipher, syntax.GetLocation(), what, cipher));
}
