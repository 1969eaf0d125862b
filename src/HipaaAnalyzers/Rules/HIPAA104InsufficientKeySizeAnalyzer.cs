using System;
using System.Collections.Immutable;
using System.Globalization;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA104: RSA keys below <c>min_rsa_key_size</c> (2048), elliptic curves below <c>min_ec_key_size</c> (256) by key
/// size, named curve, friendly name or OID, and DSA, which FIPS 186-5 no longer approves for generating signatures.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA104InsufficientKeySizeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InsufficientKeySize);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(AnalyzeCurveReference, OperationKind.PropertyReference);
    }

    private enum Family
    {
        None,
        Rsa,
        Ec,
        Dsa,
    }

    private static Family FamilyOf(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (!TypeNames.IsInNamespace(t.ContainingNamespace, CryptoSymbols.CryptographyNamespace))
            {
                continue;
            }

            switch (t.Name)
            {
                case "RSA":
                    return Family.Rsa;
                case "DSA":
                    return Family.Dsa;
                case "ECAlgorithm":
                case "ECDsa":
                case "ECDiffieHellman":
                    return Family.Ec;
            }
        }

        return Family.None;
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        var family = FamilyOf(creation.Type);
        if (family == Family.Dsa)
        {
            ReportDsa(context, creation.Syntax, "new " + creation.Type!.Name);
            return;
        }

        if (family != Family.None)
        {
            CheckSizeArguments(context, creation.Arguments, family, "new " + creation.Type!.Name);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!method.IsStatic)
        {
            return;
        }

        if (method.Name != "Create")
        {
            AnalyzeCurveFactory(context, invocation);
            return;
        }

        var family = FamilyOf(method.ContainingType);
        if (family == Family.Dsa && FamilyOf(method.ReturnType) == Family.Dsa)
        {
            ReportDsa(context, invocation.Syntax, CryptoSymbols.Display(method));
        }
        else if (family is Family.Rsa or Family.Ec)
        {
            CheckSizeArguments(context, invocation.Arguments, family, CryptoSymbols.Display(method));
        }
    }

    /// <summary><c>rsa.KeySize = 1024</c>, also in object initializers.</summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "KeySize" } property)
        {
            return;
        }

        var family = FamilyOf(property.Instance?.Type ?? property.Property.ContainingType);
        if (family == Family.Dsa)
        {
            ReportDsa(context, assignment.Syntax, "DSA.KeySize");
        }
        else if (family != Family.None && SmallestSize(assignment.Value) is { } size)
        {
            CheckSize(context, assignment.Value, size, family, (property.Instance?.Type ?? property.Property.ContainingType).Name + ".KeySize");
        }
    }

    private static void CheckSizeArguments(OperationAnalysisContext context, ImmutableArray<IArgumentOperation> arguments, Family family, string what)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { Type.SpecialType: SpecialType.System_Int32, Name: "keySizeInBits" or "dwKeySize" or "keySize" } &&
                SmallestSize(argument.Value) is { } size)
            {
                CheckSize(context, argument.Value, size, family, what);
            }
        }
    }

    /// <summary>
    /// The smallest positive size the value can be: a constant, or through the value flow a local assigned in a branch, a
    /// parameter a caller passes a constant for, a field, a method's return.
    /// </summary>
    private static int? SmallestSize(IOperation value)
    {
        int? smallest = null;
        foreach (var size in ValueFlow.Integers(value))
        {
            if (size > 0 && (smallest is null || size < smallest))
            {
                smallest = size;
            }
        }

        return smallest;
    }

    private static void CheckSize(OperationAnalysisContext context, IOperation value, int size, Family family, string what)
    {
        var options = CryptoOptions.Read(context.Options.AnalyzerConfigOptionsProvider.GetOptions(value.Syntax.SyntaxTree));
        int minimum = family == Family.Rsa ? options.MinRsaKeySize : options.MinEcKeySize;
        if (size >= minimum || size <= 0)
        {
            return;
        }

        var minimumText = minimum.ToString(CultureInfo.InvariantCulture);
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(CryptoProperties.Kind, CryptoProperties.SizeKind)
            .Add(CryptoProperties.Replacement, family == Family.Ec ? EcReplacementSize(minimum) : minimumText);
        var algorithm = family == Family.Rsa ? "RSA" : "elliptic curve";
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.InsufficientKeySize, value.Syntax.GetLocation(), properties,
            what, $"a {size.ToString(CultureInfo.InvariantCulture)}-bit {algorithm} key", $"at least {minimumText} bits are required"));
    }

    /// <summary>The smallest NIST prime curve at or above <paramref name="minimum"/> bits.</summary>
    private static string EcReplacementSize(int minimum) => minimum <= 256 ? "256" : minimum <= 384 ? "384" : "521";

    private static string EcReplacementCurve(int minimum) => minimum <= 256 ? "nistP256" : minimum <= 384 ? "nistP384" : "nistP521";

    /// <summary>
    /// <c>ECCurve.NamedCurves.brainpoolP192r1</c>, <c>ECCurve.CreateFromFriendlyName("secp160r1")</c>,
    /// <c>ECCurve.CreateFromValue("1.2.840.10045.3.1.1")</c> (P-192): an ECCurve expression naming a small curve.
    /// </summary>
    private static void AnalyzeCurveReference(OperationAnalysisContext context)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property.IsStatic && CryptoSymbols.IsCrypto(reference.Type, "ECCurve") &&
            reference.Property.ContainingType is { Name: "NamedCurves" } named && CryptoSymbols.IsCrypto(named.ContainingType, "ECCurve"))
        {
            CheckCurve(context, reference, reference.Property.Name, "ECCurve.NamedCurves." + reference.Property.Name);
        }
    }

    private static void CheckCurve(OperationAnalysisContext context, IOperation curve, string name, string what)
    {
        if (CurveBits(name) is not { } bits)
        {
            return;
        }

        var options = CryptoOptions.Read(context.Options.AnalyzerConfigOptionsProvider.GetOptions(curve.Syntax.SyntaxTree));
        if (bits >= options.MinEcKeySize)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(CryptoProperties.Kind, CryptoProperties.CurveKind)
            .Add(CryptoProperties.Replacement, EcReplacementCurve(options.MinEcKeySize));
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.InsufficientKeySize, curve.Syntax.GetLocation(), properties,
            what, $"a {bits.ToString(CultureInfo.InvariantCulture)}-bit elliptic curve",
            $"at least {options.MinEcKeySize.ToString(CultureInfo.InvariantCulture)} bits are required"));
    }

    /// <summary>Curve size from a curve name ("secp160r1", "nistP192", "brainpoolP224t1", "prime192v1") or an OID.</summary>
    internal static int? CurveBits(string name)
    {
        switch (name.Trim())
        {
            case "1.2.840.10045.3.1.1": // P-192
                return 192;
            case "1.3.132.0.33": // P-224
                return 224;
            case "1.3.132.0.8": // secp160r1
            case "1.3.132.0.9": // secp160k1
            case "1.3.132.0.30": // secp160r2
                return 160;
            case "1.3.132.0.31": // secp192k1
                return 192;
            case "1.3.132.0.32": // secp224k1
                return 224;
            case "1.2.840.10045.3.1.2": // prime192v2
            case "1.2.840.10045.3.1.3": // prime192v3
                return 192;
        }

        var lower = name.ToLowerInvariant();
        if (!(lower.StartsWith("secp", StringComparison.Ordinal) || lower.StartsWith("sect", StringComparison.Ordinal) ||
              lower.StartsWith("nistp", StringComparison.Ordinal) || lower.StartsWith("brainpoolp", StringComparison.Ordinal) ||
              lower.StartsWith("prime", StringComparison.Ordinal) || lower.StartsWith("ecdsa_p", StringComparison.Ordinal) ||
              lower.StartsWith("ecdh_p", StringComparison.Ordinal) || lower.StartsWith("p-", StringComparison.Ordinal)))
        {
            return null;
        }

        int start = 0;
        while (start < lower.Length && !char.IsDigit(lower[start]))
        {
            start++;
        }

        int end = start;
        while (end < lower.Length && char.IsDigit(lower[end]))
        {
            end++;
        }

        return end - start == 3 && int.TryParse(lower.Substring(start, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            ? bits
            : null;
    }

    private static void ReportDsa(OperationAnalysisContext context, SyntaxNode syntax, string what) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.InsufficientKeySize, syntax.GetLocation(), what, "DSA",
            "FIPS 186-5 approves DSA only for verifying existing signatures; sign with ECDSA on P-256 or RSA of at least 2048 bits"));

    /// <summary><c>ECCurve.CreateFromFriendlyName("secp160r1")</c> and <c>ECCurve.CreateFromValue(oid)</c> with a constant name.</summary>
    private static void AnalyzeCurveFactory(OperationAnalysisContext context, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is "CreateFromFriendlyName" or "CreateFromValue" && CryptoSymbols.IsCrypto(method.ContainingType, "ECCurve") &&
            invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name })
        {
            CheckCurve(context, invocation, name, "ECCurve." + method.Name + "(\"" + name + "\")");
        }
    }
}
