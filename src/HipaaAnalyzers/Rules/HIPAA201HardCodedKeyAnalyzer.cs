using System.Collections.Immutable;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Configuration;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using static HipaaAnalyzers.Secrets.SecretFixData.HardCodedKey;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA201: a key or IV fixed by the source code (a literal, constant, readonly field, local, byte array literal, also
/// through <c>Encoding.GetBytes</c> and <c>Convert.FromBase64String</c>) reaches a key or IV: <c>SymmetricAlgorithm.Key</c>
/// and <c>IV</c>, <c>KeyedHashAlgorithm.Key</c>, <c>AesGcm</c>, <c>AesCcm</c>, <c>ChaCha20Poly1305</c>, every HMAC,
/// <c>HMAC*.HashData</c>, <c>IncrementalHash.CreateHMAC</c>, <c>CreateEncryptor</c> / <c>CreateDecryptor</c>,
/// <c>SymmetricSecurityKey</c> and private keys imported with <c>ImportFromPem</c> and <c>Import*PrivateKey</c>.
/// Test projects are left alone unless <c>hipaa_analyzers.secrets_in_test_projects = true</c> (see <see cref="TestProjects"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA201HardCodedKeyAnalyzer : DiagnosticAnalyzer
{
    private const string Crypto = "System.Security.Cryptography.";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HardCodedKey);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Test projects hold throwaway credentials: the rule stays out of them unless asked in (TestProjects).
            if (!TestProjects.SecretsRulesApply(start.Compilation, start.Options))
            {
                return;
            }

            // appsettings*.json and web*.config, which the package adds as additional files.
            SettingsSecretsRule.Register(start, Descriptors.HardCodedKey, SettingsSecretsRule.Key);
            start.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
            start.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol type || !IsKeyedConstructorType(type))
        {
            return;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name is "key" or "keyBytes")
            {
                Check(context, argument.Value, argument.Parameter.Type, Key, type.Name);
            }
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
        {
            return;
        }

        switch (method.Name)
        {
            case "HashData" or "HashDataAsync" or "TryHashData" or "Verify" when method.IsStatic && TypeNames.DerivesFrom(type, Crypto + "HMAC"):
            case "CreateHMAC" when TypeNames.Is(type, Crypto + "IncrementalHash"):
                CheckArguments(context, invocation, "key", Key, type.Name + "." + method.Name);
                break;
            case "CreateEncryptor" or "CreateDecryptor" when invocation.Arguments.Length == 2 && TypeNames.DerivesFrom(type, Crypto + "SymmetricAlgorithm"):
                CheckArguments(context, invocation, "rgbKey", Key, method.Name);
                CheckArguments(context, invocation, "rgbIV", Iv, method.Name);
                break;
            case "ImportFromPem" or "ImportFromEncryptedPem" when TypeNames.DerivesFrom(type, Crypto + "AsymmetricAlgorithm"):
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Name == "input" && HardCodedValues.Find(argument.Value) is { Text: { } pem } found &&
                        pem.IndexOf("PRIVATE KEY", System.StringComparison.Ordinal) >= 0)
                    {
                        Report(context, argument.Value, argument.Parameter.Type, PrivateKey, method.Name, found);
                    }
                }

                break;
            case "ImportRSAPrivateKey" or "ImportPkcs8PrivateKey" or "ImportECPrivateKey" or "ImportEncryptedPkcs8PrivateKey"
                when TypeNames.DerivesFrom(type, Crypto + "AsymmetricAlgorithm"):
                CheckArguments(context, invocation, "source", PrivateKey, method.Name);
                break;
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "Key" or "IV" } property })
        {
            return;
        }

        var type = property.ContainingType;
        bool symmetric = TypeNames.DerivesFrom(type, Crypto + "SymmetricAlgorithm");
        if (!symmetric && !(property.Name == "Key" && TypeNames.DerivesFrom(type, Crypto + "KeyedHashAlgorithm")))
        {
            return;
        }

        var baseName = symmetric ? "SymmetricAlgorithm" : "KeyedHashAlgorithm";
        Check(context, assignment.Value, property.Type, property.Name == "IV" ? Iv : Key, baseName + "." + property.Name);
    }

    private static bool IsKeyedConstructorType(INamedTypeSymbol type) =>
        TypeNames.Is(type, Crypto + "AesGcm") ||
        TypeNames.Is(type, Crypto + "AesCcm") ||
        TypeNames.Is(type, Crypto + "ChaCha20Poly1305") ||
        TypeNames.DerivesFrom(type, Crypto + "HMAC") ||
        TypeNames.Is(type, "Microsoft.IdentityModel.Tokens.SymmetricSecurityKey");

    private static void CheckArguments(OperationAnalysisContext context, IInvocationOperation invocation, string parameterName, string kind, string sink)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameterName && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                Check(context, argument.Value, argument.Parameter.Type, kind, sink);
            }
        }
    }

    private static void Check(OperationAnalysisContext context, IOperation value, ITypeSymbol parameterType, string kind, string sink)
    {
        if (HardCodedValues.Find(value) is { } found)
        {
            Report(context, value, parameterType, kind, sink, found);
            return;
        }

        // aes.Key = new byte[32]: an all-zero key written at the sink. (A local filled by RandomNumberGenerator.Fill
        // before use is a different thing, so only an array created right here counts.)
        var unwrapped = value;
        while (unwrapped is IConversionOperation conversion)
        {
            unwrapped = conversion.Operand;
        }

        if (unwrapped is IArrayCreationOperation { Initializer: null })
        {
            Report(context, value, parameterType, kind, sink, new HardCodedValue("a zero-filled array", null, null));
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation value, ITypeSymbol parameterType, string kind, string sink, HardCodedValue found)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(KindProperty, kind)
            .Add(ShapeProperty, IsText(parameterType) ? "text" : "bytes")
            .Add(SinkProperty, sink)
            .Add(SymbolProperty, found.Symbol?.Name)
            .Add(ConfigurationKeys.Property, ConfigurationKeyFor(kind, sink, found.Symbol?.Name));
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.HardCodedKey, value.Syntax.GetLocation(), properties, kind, sink, found.Description));
    }

    /// <summary>"Jwt:SigningKey" for a token signing key; otherwise "Keys:" and the name of the field or local, or of the sink.</summary>
    private static string ConfigurationKeyFor(string kind, string sink, string? symbolName)
    {
        if (sink == "SymmetricSecurityKey")
        {
            return "Jwt:SigningKey";
        }

        var fallback = kind == PrivateKey ? "PrivateKey"
            : sink.StartsWith("HMAC", System.StringComparison.Ordinal) || sink.StartsWith("KeyedHashAlgorithm", System.StringComparison.Ordinal) ||
              sink.StartsWith("IncrementalHash", System.StringComparison.Ordinal) ? "HmacKey"
            : "EncryptionKey";
        return ConfigurationKeys.ForKey(symbolName, fallback);
    }

    /// <summary>string, ReadOnlySpan&lt;char&gt; and char[] parameters take text; the rest take bytes.</summary>
    private static bool IsText(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_String ||
        type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Char } ||
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic && generic.TypeArguments[0].SpecialType == SpecialType.System_Char;
}
