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
/// <c>http://</c> addresses of remote hosts that reach something that sends (HttpClient and its BaseAddress,
/// HttpRequestMessage, WebRequest, WebClient, an authentication handler's Authority or MetadataAddress, a redirect),
/// and <c>RequireHttpsMetadata = false</c> where the handler would fetch its metadata from such an address.
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

    // ----- RequireHttpsMetadata = false, and addresses assigned to senders -----

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property } target)
        {
            return;
        }

        var type = property.ContainingType;
        switch (property.Name)
        {
            case "RequireHttpsMetadata" when property.Type.SpecialType == SpecialType.System_Boolean &&
                                             assignment.Value.ConstantValue is { HasValue: true, Value: false } &&
                                             IsAuthenticationOptions(type) &&
                                             SetsAuthorityOffHttps(assignment, target):
                Report(context, assignment.Syntax, CryptoProperties.HttpsMetadataKind,
                    "'RequireHttpsMetadata = false' lets the authentication handler fetch its metadata and signing keys over unencrypted HTTP; remove it");
                break;
            case "BaseAddress" when TypeNames.Is(type, "System.Net.Http", "HttpClient") || TypeNames.Is(type, "System.Net", "WebClient"):
            case "RequestUri" when TypeNames.Is(type, "System.Net.Http", "HttpRequestMessage"):
            case "Authority" or "MetadataAddress" when IsAuthenticationOptions(type):
                CheckAddress(context, assignment.Value, type.Name + "." + property.Name, redirect: false);
                break;
        }
    }

    private static bool IsAuthenticationOptions(INamedTypeSymbol type) =>
        TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.AspNetCore.Authentication") ||
        TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.Owin.Security") ||
        TypeNames.DerivesFrom(type, "Microsoft.AspNetCore.Authentication", "AuthenticationSchemeOptions");

    /// <summary>
    /// Whether the options object given <c>RequireHttpsMetadata = false</c> is also given an <c>Authority</c> or
    /// <c>MetadataAddress</c> that is not a known https:// (or loopback) address, so that the handler would fetch its
    /// metadata over the network without TLS. Only the same object initializer, or assignments through the same
    /// variable in the same lambda or member body, are looked at: without an address there nothing is fetched.
    /// </summary>
    private static bool SetsAuthorityOffHttps(ISimpleAssignmentOperation assignment, IPropertyReferenceOperation target)
    {
        if (assignment.Parent is IObjectOrCollectionInitializerOperation initializer)
        {
            foreach (var sibling in initializer.Initializers)
            {
                if (sibling is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Authority" or "MetadataAddress", Instance: IInstanceReferenceOperation } } set &&
                    !IsHttpsOrNothing(set.Value))
                {
                    return true;
                }
            }

            return false;
        }

        if (target.Instance is not { } receiver)
        {
            return false;
        }

        foreach (var descendant in EnclosingBody(assignment).Descendants())
        {
            if (descendant is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "Authority" or "MetadataAddress" } address, Instance: { } instance } } set &&
                IsAuthenticationOptions(address.ContainingType) &&
                SameReceiver(instance, receiver) &&
                !IsHttpsOrNothing(set.Value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The body of the innermost lambda or anonymous method around the operation, or the member body.</summary>
    private static IOperation EnclosingBody(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            if (parent is IAnonymousFunctionOperation lambda)
            {
                return lambda.Body;
            }

            current = parent;
        }

        return current;
    }

    private static bool SameReceiver(IOperation a, IOperation b)
    {
        a = CryptoSymbols.SkipConversions(a);
        b = CryptoSymbols.SkipConversions(b);
        return (a, b) switch
        {
            (ILocalReferenceOperation x, ILocalReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
            (IParameterReferenceOperation x, IParameterReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
            (ILocalReferenceOperation or IParameterReferenceOperation, _) or (_, ILocalReferenceOperation or IParameterReferenceOperation) => false,
            _ => SyntaxFactory.AreEquivalent(a.Syntax, b.Syntax),
        };
    }

    /// <summary>An https:// address, a loopback http:// one, or null or empty (no address): nothing crosses the network in clear.</summary>
    private static bool IsHttpsOrNothing(IOperation value)
    {
        value = CryptoSymbols.SkipConversions(value);
        if (value.ConstantValue is { HasValue: true, Value: null or "" })
        {
            return true;
        }

        if (AddressText(value, 0) is not { Text: var text })
        {
            return false;
        }

        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && HttpAddress.HostOf(text) is { } host && HttpAddress.IsLoopback(host);
    }

    // ----- http:// addresses handed to something that sends -----

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null)
        {
            return;
        }

        bool redirect = method.Name is "Redirect" or "RedirectPermanent" or "RedirectPreserveMethod" or "RedirectPermanentPreserveMethod";
        bool sink = redirect ? IsRedirectType(type) : method.Name switch
        {
            "GetAsync" or "GetStringAsync" or "GetByteArrayAsync" or "GetStreamAsync" or "PostAsync" or "PutAsync" or
                "PatchAsync" or "DeleteAsync" => TypeNames.Is(type, "System.Net.Http", "HttpClient"),
            "GetFromJsonAsync" or "PostAsJsonAsync" or "PutAsJsonAsync" or "PatchAsJsonAsync" or "DeleteFromJsonAsync" or
                "GetFromJsonAsAsyncEnumerable" => TypeNames.Is(type, "System.Net.Http.Json", "HttpClientJsonExtensions"),
            "Create" or "CreateHttp" or "CreateDefault" => TypeNames.Is(type, "System.Net", "WebRequest"),
            "DownloadString" or "DownloadData" or "DownloadFile" or "UploadString" or "UploadData" or "UploadValues" or
                "UploadFile" or "OpenRead" or "OpenWrite" or "DownloadStringTaskAsync" or "DownloadDataTaskAsync" or
                "DownloadFileTaskAsync" or "UploadStringTaskAsync" or "UploadDataTaskAsync" or "UploadValuesTaskAsync" or
                "UploadFileTaskAsync" or "OpenReadTaskAsync" or "OpenWriteTaskAsync" => TypeNames.Is(type, "System.Net", "WebClient"),
            _ => false,
        };
        if (sink)
        {
            CheckAddressArguments(context, invocation.Arguments, type.Name + "." + method.Name, redirect);
        }
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (TypeNames.Is(creation.Type, "System.Net.Http", "HttpRequestMessage"))
        {
            CheckAddressArguments(context, creation.Arguments, "new HttpRequestMessage", redirect: false);
        }
        else if (TypeNames.Is(creation.Type, "Microsoft.AspNetCore.Mvc", "RedirectResult"))
        {
            CheckAddressArguments(context, creation.Arguments, "new RedirectResult", redirect: true);
        }
    }

    /// <summary>MVC controllers, Razor pages, minimal API results and <c>HttpResponse.Redirect</c>.</summary>
    private static bool IsRedirectType(INamedTypeSymbol type) =>
        TypeNames.Is(type, "Microsoft.AspNetCore.Http", "Results") ||
        TypeNames.Is(type, "Microsoft.AspNetCore.Http", "TypedResults") ||
        TypeNames.DerivesFrom(type, "Microsoft.AspNetCore.Http", "HttpResponse") ||
        TypeNames.DerivesFrom(type, "Microsoft.AspNetCore.Mvc", "ControllerBase") ||
        TypeNames.DerivesFrom(type, "Microsoft.AspNetCore.Mvc.RazorPages", "PageModel");

    private static void CheckAddressArguments(OperationAnalysisContext context, ImmutableArray<IArgumentOperation> arguments, string sink, bool redirect)
    {
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue &&
                argument.Parameter is { Name: "requestUri" or "requestUriString" or "address" or "url" or "location" } parameter &&
                (parameter.Type.SpecialType == SpecialType.System_String || TypeNames.Is(parameter.Type, "System", "Uri")))
            {
                CheckAddress(context, argument.Value, sink, redirect);
            }
        }
    }

    /// <summary>Reports an http:// address of a remote host that is not a name (see <see cref="HttpAddress.IsIdentifierHost"/>).</summary>
    private static void CheckAddress(OperationAnalysisContext context, IOperation value, string sink, bool redirect)
    {
        if (AddressText(value, 0) is not var (text, syntax) || !text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var host = HttpAddress.HostOf(text);
        if (host is not null && (HttpAddress.IsLoopback(host) || HttpAddress.IsIdentifierHost(host)))
        {
            return;
        }

        var shown = text.Length > 60 ? text.Substring(0, 57) + "..." : text;
        Report(context, syntax, CryptoProperties.HttpKind, redirect
            ? $"'{shown}' sends the browser to unencrypted HTTP through '{sink}'; use https://"
            : $"'{shown}' is sent over unencrypted HTTP by '{sink}'; use https://");
    }

    private const int MaxAddressDepth = 4;

    /// <summary>
    /// The start of an address and the syntax to report: a literal, a constant, an interpolated string, a local's
    /// initializer, or the string a <c>new Uri(...)</c> is made from (for <c>new Uri(baseUri, relative)</c>, the base's).
    /// A readonly field's initializer is read too, and reported where the field is used, as a constant is.
    /// </summary>
    private static (string Text, SyntaxNode Syntax)? AddressText(IOperation value, int depth)
    {
        if (depth > MaxAddressDepth)
        {
            return null;
        }

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
            case IObjectCreationOperation { Arguments.Length: > 0 } creation when TypeNames.Is(creation.Type, "System", "Uri"):
                return AddressText(creation.Arguments[0].Value, depth + 1);
            case ILocalReferenceOperation { Local: { } local }:
                foreach (var descendant in CryptoSymbols.Root(value).Descendants())
                {
                    if (descendant is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                    {
                        var initializer = declarator.GetVariableInitializer()?.Value;
                        return initializer is null || initializer is ILocalReferenceOperation ? null : AddressText(initializer, depth + 1);
                    }
                }

                return null;
            case IFieldReferenceOperation { Field: { IsReadOnly: true } field } reference:
                return FieldAddress(reference, field, depth) is { } text ? (text, value.Syntax) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The address a readonly field is initialized with: through the semantic model when the declaration is in the file
    /// being analyzed, from the syntax (a string literal, or <c>new Uri("...")</c>) otherwise.
    /// </summary>
    private static string? FieldAddress(IFieldReferenceOperation reference, IFieldSymbol field, int depth)
    {
        foreach (var declaration in field.DeclaringSyntaxReferences)
        {
            if (declaration.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer })
            {
                continue;
            }

            if (reference.SemanticModel is { } model && model.SyntaxTree == initializer.SyntaxTree)
            {
                return model.GetOperation(initializer) is { } operation ? AddressText(operation, depth + 1)?.Text : null;
            }

            var expression = initializer;
            if (expression is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 } creation)
            {
                expression = creation.ArgumentList.Arguments[0].Expression;
            }

            return expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal.Token.ValueText : null;
        }

        return null;
    }

    private static void Report(OperationAnalysisContext context, SyntaxNode syntax, string kind, string message)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(CryptoProperties.Kind, kind);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WeakenedTransportSecurity, syntax.GetLocation(), properties, message));
    }
}
