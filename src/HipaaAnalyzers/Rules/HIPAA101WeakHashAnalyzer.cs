using System.Collections.Immutable;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA101: MD5, SHA-1, RIPEMD-160, HMAC-MD5 and HMAC-SHA1 created by type, by factory, by algorithm name, through
/// the one-shot static APIs, or named by <c>HashAlgorithmName</c> for hashing and signing. Names of methods, types and
/// variables that say the hash is a checksum, ETag, cache key or fingerprint leave it alone
/// (<c>hipaa_analyzers.HIPAA101.allowed_in</c>), unless the code around it handles a password, secret or token.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA101WeakHashAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WeakHash);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeAlgorithmName, OperationKind.PropertyReference);
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (CryptoAlgorithms.WeakHashOf(creation.Type) is { } algorithm)
        {
            Report(context, creation.Syntax, "new " + creation.Type!.Name, algorithm);
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

        var type = method.ContainingType;
        switch (method.Name)
        {
            case "Create" when invocation.Arguments.Length == 0:
            case "HashData":
            case "HashDataAsync":
            case "TryHashData":
                if (CryptoAlgorithms.WeakHashOf(type) is { } algorithm)
                {
                    Report(context, invocation.Syntax, CryptoSymbols.Display(method), algorithm);
                }

                return;
        }

        // HashAlgorithm.Create("MD5"), KeyedHashAlgorithm.Create("HMACSHA1"), CryptoConfig.CreateFromName("SHA1"), MD5.Create("MD5").
        bool byName = method.Name == "Create" &&
                      (CryptoSymbols.DerivesFromCrypto(type, "HashAlgorithm") || CryptoAlgorithms.WeakHashOf(type) is not null) ||
                      method.Name == "CreateFromName" && CryptoSymbols.IsCrypto(type, "CryptoConfig");
        if (byName && invocation.Arguments.Length > 0 &&
            invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name } &&
            CryptoAlgorithms.WeakHashOfName(name) is { } named)
        {
            Report(context, invocation.Syntax, CryptoSymbols.Display(method) + "(\"" + name + "\")", named);
        }
    }

    /// <summary>HashAlgorithmName.MD5 / SHA1 passed to a hashing, HMAC or signing API.</summary>
    private static void AnalyzeAlgorithmName(OperationAnalysisContext context)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        var property = reference.Property;
        if (property.Name is not ("MD5" or "SHA1") || !CryptoSymbols.IsCrypto(property.ContainingType, "HashAlgorithmName"))
        {
            return;
        }

        if (CryptoSymbols.ParentSkippingConversions(reference, out _) is not IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument)
        {
            return;
        }

        var method = argument.Parent switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (method is null || !IsHashOrSignatureApi(method))
        {
            return;
        }

        Report(context, reference.Syntax, CryptoSymbols.Display(method), property.Name == "MD5" ? "MD5" : "SHA-1");
    }

    /// <summary>
    /// APIs where the hash name picks the hash: IncrementalHash, CryptographicOperations, signatures and certificate
    /// requests. Key derivation (Rfc2898DeriveBytes, PBKDF2) is left to HIPAA107.
    /// </summary>
    private static bool IsHashOrSignatureApi(IMethodSymbol method)
    {
        var type = method.ContainingType;
        switch (method.Name)
        {
            case "CreateHash":
            case "CreateHMAC":
                return CryptoSymbols.IsCrypto(type, "IncrementalHash");
            case "HashData":
            case "HashDataAsync":
            case "TryHashData":
            case "HmacData":
            case "HmacDataAsync":
            case "TryHmacData":
                return CryptoSymbols.IsCrypto(type, "CryptographicOperations");
            case "SignData":
            case "SignHash":
            case "VerifyData":
            case "VerifyHash":
            case "TrySignData":
            case "TrySignHash":
                return CryptoSymbols.DerivesFromCrypto(type, "AsymmetricAlgorithm");
            case ".ctor":
                return type.Name == "CertificateRequest";
            default:
                return false;
        }
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string what, string algorithm)
    {
        var options = CryptoOptions.Read(context.Options.AnalyzerConfigOptionsProvider.GetOptions(syntax.SyntaxTree));
        if (IsAllowedUse(context.Operation, context.ContainingSymbol, syntax, options))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(CryptoProperties.Algorithm, algorithm);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WeakHash, syntax.GetLocation(), properties, what, algorithm));
    }

    /// <summary>
    /// A checksum, ETag, cache key or fingerprint: the member, a local function, a containing type or the variable that
    /// receives the hash is named like one of the allowed phrases, and nothing in the member names a password, secret,
    /// token, salt, signature or key.
    /// </summary>
    private static bool IsAllowedUse(IOperation operation, ISymbol containingSymbol, SyntaxNode syntax, CryptoOptions options)
    {
        if (options.AllowedIn.Length == 0 || !IsAllowedContext(operation, containingSymbol, syntax, options))
        {
            return false;
        }

        // MD5 of a password is always reported, however the helper is named.
        var member = MemberSyntax(syntax);
        if (member is null)
        {
            return true;
        }

        foreach (var node in member.DescendantNodes())
        {
            string? name = node switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                ParameterSyntax parameter => parameter.Identifier.ValueText,
                VariableDeclaratorSyntax variable => variable.Identifier.ValueText,
                _ => null,
            };
            if (name is not null && CryptoOptions.IsSecurityName(name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllowedContext(IOperation operation, ISymbol containingSymbol, SyntaxNode syntax, CryptoOptions options)
    {
        var member = containingSymbol is IMethodSymbol { AssociatedSymbol: { } associated } ? associated : containingSymbol;
        if (options.IsAllowedName(member.Name))
        {
            return true;
        }

        for (var type = member.ContainingType; type is not null; type = type.ContainingType)
        {
            if (options.IsAllowedName(type.Name))
            {
                return true;
            }
        }

        foreach (var ancestor in syntax.Ancestors())
        {
            if (ancestor is LocalFunctionStatementSyntax local && options.IsAllowedName(local.Identifier.ValueText))
            {
                return true;
            }

            if (ancestor is MemberDeclarationSyntax)
            {
                break;
            }
        }

        // The variable, field or property that receives the value: "var etag = Convert.ToHexString(MD5.HashData(body));".
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IVariableDeclaratorOperation declarator:
                    return options.IsAllowedName(declarator.Symbol.Name);
                case IAssignmentOperation { Target: { } target } when target != operation:
                    return target switch
                    {
                        ILocalReferenceOperation l => options.IsAllowedName(l.Local.Name),
                        IFieldReferenceOperation f => options.IsAllowedName(f.Field.Name),
                        IPropertyReferenceOperation p => options.IsAllowedName(p.Property.Name),
                        _ => false,
                    };
                case IArgumentOperation { Parameter: { } parameter } when parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor }:
                    // new EntityTagHeaderValue(...), new CacheKey(...): the constructed type names the use.
                    if (options.IsAllowedName(parameter.ContainingType.Name) || options.IsAllowedName(parameter.Name))
                    {
                        return true;
                    }

                    break;
                case IBlockOperation:
                case IExpressionStatementOperation:
                case IReturnOperation:
                    return false;
            }
        }

        return false;
    }

    private static SyntaxNode? MemberSyntax(SyntaxNode syntax)
    {
        foreach (var ancestor in syntax.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or
                    PropertyDeclarationSyntax or FieldDeclarationSyntax:
                    return ancestor;
                case GlobalStatementSyntax or CompilationUnitSyntax:
                    return null;
            }
        }

        return null;
    }
}
