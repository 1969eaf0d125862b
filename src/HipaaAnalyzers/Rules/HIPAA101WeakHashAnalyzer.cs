using System.Collections.Immutable;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Vocabulary;
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
        // The name is followed through the value flow: fallbacks, branches, locals, parameters, returns and fields.
        if (!byName || invocation.Arguments.Length == 0)
        {
            return;
        }

        foreach (var name in ValueFlow.Strings(invocation.Arguments[0].Value))
        {
            if (CryptoAlgorithms.WeakHashOfName(name) is { } named)
            {
                Report(context, invocation.Syntax, CryptoSymbols.Display(method) + "(\"" + name + "\")", named);
                return;
            }
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
        if (IsAllowedUse(context.Operation, context.ContainingSymbol, syntax, options) ||
            OnlyBecomesGuid(context.Operation) && !NamesSecurity(syntax))
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
        return !NamesSecurity(syntax);
    }

    /// <summary>Whether the member around the hash names a password, secret, token, salt, signature or key.</summary>
    private static bool NamesSecurity(SyntaxNode syntax)
    {
        var member = MemberSyntax(syntax);
        if (member is null)
        {
            return false;
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
            if (name is not null && SecurityNames.Mentions(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The hash only ends up as a <see cref="System.Guid"/>: a name-based UUID (RFC 9562 versions 3 and 5), an identifier
    /// rather than a protection. <c>new Guid(MD5.HashData(...))</c>, <c>new Guid(md5.ComputeHash(...))</c>, through a
    /// local (version bits set by index), a slice (<c>AsSpan(0, 16)</c>) or bytes copied into the Guid's buffer.
    /// </summary>
    private static bool OnlyBecomesGuid(IOperation operation)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation:
                // HashAlgorithmName.MD5 handed to CryptographicOperations.HashData: the call's result.
                return CryptoSymbols.ParentSkippingConversions(operation, out _) is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "HashData" } call } &&
                       ResultBecomesGuid(call, 0);
            case IInvocationOperation { TargetMethod.Name: "HashData" }:
                return ResultBecomesGuid(operation, 0);
            case IInvocationOperation or IObjectCreationOperation:
                return HasherOnlyMakesGuids(operation);
            default:
                return false;
        }
    }

    /// <summary>MD5.Create() / new SHA1Managed(): every ComputeHash on it becomes a Guid; Dispose and using are fine.</summary>
    private static bool HasherOnlyMakesGuids(IOperation hasher)
    {
        var parent = CryptoSymbols.ParentSkippingConversions(hasher, out var child);
        if (parent is IInvocationOperation { TargetMethod.Name: "ComputeHash" } direct && direct.Instance == child)
        {
            return ResultBecomesGuid(direct, 0);
        }

        if (parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            return false;
        }

        bool any = false;
        foreach (var reference in References(hasher, declarator.Symbol))
        {
            var use = CryptoSymbols.ParentSkippingConversions(reference, out var used);
            switch (use)
            {
                case IInvocationOperation { TargetMethod.Name: "ComputeHash" } compute when compute.Instance == used:
                    if (!ResultBecomesGuid(compute, 0))
                    {
                        return false;
                    }

                    any = true;
                    break;
                case IInvocationOperation { TargetMethod.Name: "Dispose" or "Clear" } release when release.Instance == used:
                    break;
                default:
                    return false;
            }
        }

        return any;
    }

    /// <summary>Whether the hash bytes are used for nothing but building a Guid.</summary>
    private static bool ResultBecomesGuid(IOperation value, int depth)
    {
        if (depth > 4)
        {
            return false;
        }

        var parent = CryptoSymbols.ParentSkippingConversions(value, out var child);
        switch (parent)
        {
            case IArgumentOperation { Parent: IObjectCreationOperation creation } when IsGuid(creation.Type):
                return true;
            case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" or "Slice" or "ToArray" or "Take" } view
                when view.Instance == child:
                return ResultBecomesGuid(view, depth + 1);
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { IsExtensionMethod: true, Name: "AsSpan" or "AsMemory" or "Take" or "ToArray" } } extension } argument
                when extension.Arguments.Length > 0 && extension.Arguments[0] == argument:
                return ResultBecomesGuid(extension, depth + 1);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return LocalOnlyBecomesGuid(value, declarator.Symbol, depth);
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == child:
                return LocalOnlyBecomesGuid(value, local.Local, depth);
            default:
                return false;
        }
    }

    /// <summary>
    /// Every read of the local is an element access (setting the version bits), a Guid built from it, or the source of a
    /// copy into a buffer that only becomes a Guid.
    /// </summary>
    private static bool LocalOnlyBecomesGuid(IOperation anyInBody, ILocalSymbol local, int depth)
    {
        bool any = false;
        foreach (var reference in References(anyInBody, local))
        {
            var use = CryptoSymbols.ParentSkippingConversions(reference, out var used);
            switch (use)
            {
                case IArrayElementReferenceOperation element when element.ArrayReference == used:
                    continue;
                case ISimpleAssignmentOperation assignment when assignment.Target == used:
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation copy } argument
                    when argument.Parameter?.Name is "sourceArray" or "src" or "source" &&
                         CopyDestination(copy) is ILocalReferenceOperation destination &&
                         !SymbolEqualityComparer.Default.Equals(destination.Local, local):
                    if (!LocalOnlyBecomesGuid(anyInBody, destination.Local, depth + 1))
                    {
                        return false;
                    }

                    any = true;
                    continue;
            }

            if (use is IArgumentOperation { Parent: IInvocationOperation copyTarget } target &&
                target.Parameter?.Name is "destinationArray" or "dst" or "destination" &&
                copyTarget.TargetMethod.Name is "Copy" or "BlockCopy" or "CopyTo")
            {
                continue;
            }

            if (!ResultBecomesGuid(reference, depth + 1))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private static IOperation? CopyDestination(IInvocationOperation copy)
    {
        if (copy.TargetMethod.Name is not ("Copy" or "BlockCopy"))
        {
            return null;
        }

        foreach (var argument in copy.Arguments)
        {
            if (argument.Parameter?.Name is "destinationArray" or "dst")
            {
                var value = argument.Value;
                while (value is IConversionOperation conversion)
                {
                    value = conversion.Operand;
                }

                return value;
            }
        }

        return null;
    }

    private static System.Collections.Generic.IEnumerable<ILocalReferenceOperation> References(IOperation anyInBody, ILocalSymbol local)
    {
        var root = anyInBody;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                yield return reference;
            }
        }
    }

    private static bool IsGuid(ITypeSymbol? type) =>
        type is { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

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
