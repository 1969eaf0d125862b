using System;
using System.Collections.Immutable;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA109: certificate validation callbacks that accept every certificate, SSL 3.0 / TLS 1.0 / TLS 1.1 set or passed,
/// <c>http://</c> addresses of remote hosts that reach HttpClient, Uri, HttpRequestMessage or WebRequest, and
/// <c>RequireHttpsMetadata = false</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA109WeakenedTransportSecurityAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WeakenedTransportSecurity);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeDelegate, OperationKind.DelegateCreation);
        context.RegisterOperationAction(AnalyzePropertyReference, OperationKind.PropertyReference);
        context.RegisterOperationAction(AnalyzeFieldReference, OperationKind.FieldReference);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
    }

    // ----- certificate validation -----

    private static void AnalyzeDelegate(OperationAnalysisContext context)
    {
        var creation = (IDelegateCreationOperation)context.Operation;
        if (!IsCertificateCallbackType(creation.Type))
        {
            return;
        }

        bool acceptsAll = creation.Target switch
        {
            IAnonymousFunctionOperation lambda => AlwaysReturnsTrue(lambda.Symbol, lambda.Syntax),
            IMethodReferenceOperation reference => AlwaysReturnsTrue(reference.Method),
            _ => false,
        };
        if (acceptsAll)
        {
            Report(context, creation.Syntax, CryptoProperties.CallbackKind,
                "This certificate validation callback returns true for every certificate, which turns off server authentication; remove it");
        }
    }

    private static bool IsCertificateCallbackType(ITypeSymbol? type)
    {
        if (TypeNames.Is(type, "System.Net.Security", "RemoteCertificateValidationCallback"))
        {
            return true;
        }

        // HttpClientHandler.ServerCertificateCustomValidationCallback: Func<HttpRequestMessage, X509Certificate2?, X509Chain?, SslPolicyErrors, bool>.
        return type is INamedTypeSymbol { Name: "Func", Arity: 5 } func &&
               TypeNames.Is(func.TypeArguments[3], "System.Net.Security", "SslPolicyErrors") &&
               func.TypeArguments[4].SpecialType == SpecialType.System_Boolean;
    }

    private static bool AlwaysReturnsTrue(IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is { } syntax && AlwaysReturnsTrue(method, syntax))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>(...) => true</c>, <c>delegate { return true; }</c> or a body whose every return is <c>return true;</c>.</summary>
    private static bool AlwaysReturnsTrue(ISymbol? symbol, SyntaxNode syntax)
    {
        SyntaxNode? body = syntax switch
        {
            AnonymousFunctionExpressionSyntax f => f.ExpressionBody ?? (SyntaxNode?)f.Block,
            MethodDeclarationSyntax m => m.ExpressionBody?.Expression ?? (SyntaxNode?)m.Body,
            LocalFunctionStatementSyntax l => l.ExpressionBody?.Expression ?? (SyntaxNode?)l.Body,
            _ => null,
        };
        if (body is null)
        {
            return false;
        }

        if (body is ExpressionSyntax expression)
        {
            return IsTrue(expression);
        }

        bool sawReturn = false;
        foreach (var node in body.DescendantNodes(n => n == body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ReturnStatementSyntax ret)
            {
                if (ret.Expression is null || !IsTrue(ret.Expression))
                {
                    return false;
                }

                sawReturn = true;
            }
        }

        return sawReturn && symbol is not null;
    }

    private static bool IsTrue(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression.IsKind(SyntaxKind.TrueLiteralExpression);
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (reference.Property is { Name: "DangerousAcceptAnyServerCertificateValidator", IsStatic: true } property &&
            TypeNames.Is(property.ContainingType, "System.Net.Http", "HttpClientHandler"))
        {
            Report(context, reference.Syntax, CryptoProperties.CallbackKind,
                "'HttpClientHandler.DangerousAcceptAnyServerCertificateValidator' accepts every certificate, which turns off server authentication; remove it");
        }
    }

    // ----- protocol versions -----

    private static void AnalyzeFieldReference(OperationAnalysisContext context)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        var field = reference.Field;
        string? protocol = null;
        if (TypeNames.Is(field.ContainingType, "System.Security.Authentication", "SslProtocols") ||
            TypeNames.Is(field.ContainingType, "System.Net", "SecurityProtocolType"))
        {
            protocol = field.Name switch
            {
                "Ssl2" => "SSL 2.0",
                "Ssl3" => "SSL 3.0",
                "Tls" => "TLS 1.0",
                "Tls11" => "TLS 1.1",
                _ => null,
            };
        }

        if (protocol is null || !IsEnabled(reference))
        {
            return;
        }

        Report(context, reference.Syntax, CryptoProperties.ProtocolKind,
            $"'{field.ContainingType.Name}.{field.Name}' enables {protocol}, which NIST SP 800-52r2 does not allow; leave the protocol to the operating system or use TLS 1.2 or 1.3");
    }

    /// <summary>
    /// Whether the protocol flag is assigned, passed, returned or used to initialize something, alone or combined with
    /// '|'. Comparisons, '&amp;' and '~' (removing the flag: <c>protocols &amp;= ~SslProtocols.Tls</c>) are left alone.
    /// </summary>
    private static bool IsEnabled(IOperation reference)
    {
        var current = reference;
        var parent = CryptoSymbols.ParentSkippingConversions(current, out current);
        while (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Or })
        {
            parent = CryptoSymbols.ParentSkippingConversions(parent, out current);
        }

        return parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Value == current,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Or } compound => compound.Value == current,
            IArgumentOperation => true,
            IVariableInitializerOperation => true,
            IReturnOperation => true,
            IArrayInitializerOperation => true,
            _ => false,
        };
    }

    // ----- RequireHttpsMetadata = false -----

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property: { Name: "RequireHttpsMetadata", Type.SpecialType: SpecialType.System_Boolean } property } &&
            assignment.Value.ConstantValue is { HasValue: true, Value: false } &&
            IsAuthenticationOptions(property.ContainingType))
        {
            Report(context, assignment.Syntax, CryptoProperties.HttpsMetadataKind,
                "'RequireHttpsMetadata = false' lets the authentication handler fetch its metadata and signing keys over unencrypted HTTP; remove it");
        }
    }

    private static bool IsAuthenticationOptions(INamedTypeSymbol type) =>
        TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.AspNetCore.Authentication") ||
        TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.Owin.Security") ||
        TypeNames.DerivesFrom(type, "Microsoft.AspNetCore.Authentication", "AuthenticationSchemeOptions");

    // ----- http:// addresses -----

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        bool sink = method.Name switch
        {
            "GetAsync" or "GetStringAsync" or "GetByteArrayAsync" or "GetStreamAsync" or "PostAsync" or "PutAsync" or
                "PatchAsync" or "DeleteAsync" => TypeNames.Is(type, "System.Net.Http", "HttpClient"),
            "GetFromJsonAsync" or "PostAsJsonAsync" or "PutAsJsonAsync" or "PatchAsJsonAsync" or "DeleteFromJsonAsync" or
                "GetFromJsonAsAsyncEnumerable" => TypeNames.Is(type, "System.Net.Http.Json", "HttpClientJsonExtensions"),
            "Create" or "CreateHttp" or "CreateDefault" => TypeNames.Is(type, "System.Net", "WebRequest"),
            "DownloadString" or "DownloadData" or "DownloadFile" or "UploadString" or "UploadData" or "UploadValues" or
                "DownloadStringTaskAsync" or "DownloadDataTaskAsync" or "UploadStringTaskAsync" or "OpenRead" =>
                TypeNames.Is(type, "System.Net", "WebClient"),
            _ => false,
        };
        if (sink)
        {
            CheckAddressArguments(context, invocation.Arguments, type.Name + "." + method.Name, isUriConstructor: false);
        }
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (TypeNames.Is(creation.Type, "System", "Uri"))
        {
            CheckAddressArguments(context, creation.Arguments, "new Uri", isUriConstructor: true);
        }
        else if (TypeNames.Is(creation.Type, "System.Net.Http", "HttpRequestMessage"))
        {
            CheckAddressArguments(context, creation.Arguments, "new HttpRequestMessage", isUriConstructor: false);
        }
    }

    private static void CheckAddressArguments(OperationAnalysisContext context, ImmutableArray<IArgumentOperation> arguments, string sink, bool isUriConstructor)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter is not { Type.SpecialType: SpecialType.System_String } parameter ||
                parameter.Name is not ("requestUri" or "uriString" or "address" or "requestUriString"))
            {
                continue;
            }

            // The first argument of new Uri(baseUri, relative) is a Uri; its string is checked where that Uri is made.
            if (AddressText(argument.Value) is not { } found)
            {
                continue;
            }

            var (text, syntax) = found;
            if (!text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var host = HttpAddress.HostOf(text);
            if (host is not null && (HttpAddress.IsLoopback(host) || isUriConstructor && IsNamespaceAuthority(host)))
            {
                continue;
            }

            var shown = text.Length > 60 ? text.Substring(0, 57) + "..." : text;
            Report(context, syntax, CryptoProperties.HttpKind,
                $"'{shown}' is sent over unencrypted HTTP by '{sink}'; use https://");
        }
    }

    /// <summary>The start of the address and the syntax it is written in: a literal, an interpolated string, or a local's initializer.</summary>
    private static (string Text, SyntaxNode Syntax)? AddressText(IOperation value)
    {
        value = CryptoSymbols.SkipConversions(value);
        if (value.ConstantValue is { HasValue: true, Value: string constant })
        {
            return (constant, value.Syntax);
        }

        switch (value)
        {
            case IInterpolatedStringOperation interpolated:
                return interpolated.Parts.Length > 0 && interpolated.Parts[0] is IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string start } }
                    ? (start, interpolated.Syntax)
                    : null;
            case ILocalReferenceOperation { Local: { } local }:
                foreach (var descendant in CryptoSymbols.Root(value).Descendants())
                {
                    if (descendant is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                    {
                        var initializer = declarator.GetVariableInitializer()?.Value;
                        return initializer is null || initializer is ILocalReferenceOperation ? null : AddressText(initializer);
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Hosts whose http:// URIs name XML and schema namespaces rather than servers.</summary>
    private static bool IsNamespaceAuthority(string host)
    {
        switch (host.ToLowerInvariant())
        {
            case "www.w3.org":
            case "w3.org":
            case "schemas.xmlsoap.org":
            case "schemas.microsoft.com":
            case "schemas.openxmlformats.org":
            case "purl.org":
            case "docs.oasis-open.org":
            case "xmlns.com":
            case "ns.adobe.com":
            case "hl7.org":
            case "terminology.hl7.org":
                return true;
            default:
                return false;
        }
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string kind, string message)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(CryptoProperties.Kind, kind);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WeakenedTransportSecurity, syntax.GetLocation(), properties, message));
    }
}
