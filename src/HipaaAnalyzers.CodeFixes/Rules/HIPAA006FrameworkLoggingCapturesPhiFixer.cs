using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Configuration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA006, two fixes:
/// <list type="bullet">
/// <item><b>Only in development</b> ("HIPAA006.DevelopmentOnly"): <c>EnableSensitiveDataLogging()</c> and
/// <c>EnableDetailedErrors()</c> get the environment's check as their argument
/// (<c>EnableSensitiveDataLogging(builder.Environment.IsDevelopment())</c>, which works inside a fluent chain), and a
/// <c>UseDeveloperExceptionPage();</c> statement is wrapped in <c>if (app.Environment.IsDevelopment()) { ... }</c>. The
/// environment is the first one in scope: an <c>IHostEnvironment</c> / <c>IWebHostEnvironment</c> parameter, local,
/// field or property, or the <c>Environment</c> of a <c>WebApplicationBuilder</c>, <c>WebApplication</c> or
/// <c>IHostApplicationBuilder</c>. No fix without one.</item>
/// <item><b>Log no bodies or query strings</b> ("HIPAA006.NarrowFields"): an <c>HttpLoggingFields</c> value becomes the
/// framework's default, <c>RequestPropertiesAndHeaders | ResponsePropertiesAndHeaders</c>; a <c>W3CLoggingFields</c>
/// value gets <c>&amp; ~W3CLoggingFields.UriQuery</c>.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA006FrameworkLoggingCapturesPhiFixer)), Shared]
public sealed class HIPAA006FrameworkLoggingCapturesPhiFixer : CodeFixProvider
{
    public const string DevelopmentOnlyKey = RuleIds.FrameworkLoggingCapturesPhi + ".DevelopmentOnly";
    public const string NarrowFieldsKey = RuleIds.FrameworkLoggingCapturesPhi + ".NarrowFields";

    private const string HostingNamespace = "Microsoft.Extensions.Hosting";

    private static readonly CryptoFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.FrameworkLoggingCapturesPhi);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override System.Threading.Tasks.Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static CryptoFix? Build(CryptoFixContext context, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(FrameworkLoggingFixData.KindProperty, out var kind) ||
            context.NodeOf(diagnostic) is not ExpressionSyntax node)
        {
            return null;
        }

        return kind switch
        {
            FrameworkLoggingFixData.GuardKind => Guard(context, node),
            FrameworkLoggingFixData.HttpFieldsKind => NarrowHttp(context, node),
            FrameworkLoggingFixData.W3CFieldsKind => NarrowW3C(context, node),
            _ => null,
        };
    }

    private static CryptoFix? Guard(CryptoFixContext context, ExpressionSyntax node)
    {
        if (node is not InvocationExpressionSyntax invocation || EnvironmentInScope(context, invocation) is not { } environment)
        {
            return null;
        }

        var check = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, environment, SyntaxFactory.IdentifierName("IsDevelopment")));
        var needsUsing = !Resolves(context, invocation.SpanStart, check);
        var name = invocation.Expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : string.Empty;
        if (name is "EnableSensitiveDataLogging" or "EnableDetailedErrors")
        {
            var replacement = invocation.WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(check))));
            return WithUsing(context, new CryptoFix("Only in development (IsDevelopment())", DevelopmentOnlyKey, invocation.Span,
                editor => editor.ReplaceNode(invocation, replacement.WithTriviaFrom(invocation))), needsUsing);
        }

        if (invocation.Parent is ExpressionStatementSyntax statement && statement.Parent is BlockSyntax or GlobalStatementSyntax or SwitchSectionSyntax)
        {
            var guarded = SyntaxFactory.IfStatement(check, SyntaxFactory.Block(statement.WithoutTrivia()))
                .WithTriviaFrom(statement)
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
            return WithUsing(context, new CryptoFix("Only in development (IsDevelopment())", DevelopmentOnlyKey, statement.Span,
                editor => editor.ReplaceNode(statement, guarded)), needsUsing);
        }

        return null;
    }

    private static CryptoFix? NarrowHttp(CryptoFixContext context, ExpressionSyntax value)
    {
        if (context.Type("Microsoft.AspNetCore.HttpLogging.HttpLoggingFields") is not { } fields)
        {
            return null;
        }

        var narrowed = SyntaxFactory.BinaryExpression(
            SyntaxKind.BitwiseOrExpression,
            CryptoSyntax.StaticMember(context.Generator, fields, "RequestPropertiesAndHeaders"),
            CryptoSyntax.StaticMember(context.Generator, fields, "ResponsePropertiesAndHeaders"));
        return CryptoFix.Replace("Log no bodies or query strings", NarrowFieldsKey, value, narrowed);
    }

    private static CryptoFix? NarrowW3C(CryptoFixContext context, ExpressionSyntax value)
    {
        if (context.Type("Microsoft.AspNetCore.HttpLogging.W3CLoggingFields") is not { } fields)
        {
            return null;
        }

        var narrowed = SyntaxFactory.BinaryExpression(
            SyntaxKind.BitwiseAndExpression,
            SyntaxFactory.ParenthesizedExpression(value.WithoutTrivia()),
            SyntaxFactory.PrefixUnaryExpression(SyntaxKind.BitwiseNotExpression, CryptoSyntax.StaticMember(context.Generator, fields, "UriQuery")));
        return CryptoFix.Replace("Log no query strings", NarrowFieldsKey, value, narrowed);
    }

    /// <summary>
    /// The host environment visible at the call: an <c>IHostEnvironment</c> itself, or the <c>Environment</c> of an
    /// application builder or application.
    /// </summary>
    private static ExpressionSyntax? EnvironmentInScope(CryptoFixContext context, SyntaxNode at)
    {
        var environmentType = context.Type(HostingNamespace + ".IHostEnvironment");
        if (environmentType is null)
        {
            return null;
        }

        ExpressionSyntax? viaBuilder = null;
        foreach (var symbol in context.Model.LookupSymbols(at.SpanStart))
        {
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };
            // A local is in scope in its whole block, but usable only after its declaration.
            if (type is null || symbol.Name.Length == 0 ||
                symbol is ILocalSymbol && symbol.DeclaringSyntaxReferences.FirstOrDefault() is { } declaration && declaration.Span.Start >= at.SpanStart)
            {
                continue;
            }

            if (IsOrImplements(type, environmentType))
            {
                return SyntaxFactory.IdentifierName(symbol.Name);
            }

            if (viaBuilder is null && type.GetMembers("Environment").OfType<IPropertySymbol>().Any(p => IsOrImplements(p.Type, environmentType)))
            {
                viaBuilder = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.IdentifierName(symbol.Name), SyntaxFactory.IdentifierName("Environment"));
            }
        }

        return viaBuilder;
    }

    private static bool IsOrImplements(ITypeSymbol type, INamedTypeSymbol environmentType) =>
        SymbolEqualityComparer.Default.Equals(type, environmentType) ||
        type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, environmentType));

    /// <summary>Whether <c>env.IsDevelopment()</c> binds where the fix puts it (the extension method's using is in scope).</summary>
    private static bool Resolves(CryptoFixContext context, int position, ExpressionSyntax check) =>
        context.Model.GetSpeculativeSymbolInfo(position, check, SpeculativeBindingOption.BindAsExpression).Symbol is not null;

    /// <summary>Adds <c>using Microsoft.Extensions.Hosting;</c> to the file once, when the check needs it.</summary>
    private static CryptoFix WithUsing(CryptoFixContext context, CryptoFix fix, bool needsUsing)
    {
        if (!needsUsing || context.Root is not CompilationUnitSyntax unit)
        {
            return fix;
        }

        return new CryptoFix(fix.Title, fix.EquivalenceKey, fix.Span, fix.Edit, unit, editor =>
        {
            var current = (CompilationUnitSyntax)editor.OriginalRoot;
            if (current.Usings.Any(u => u.Name?.ToString() == HostingNamespace))
            {
                return;
            }

            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(HostingNamespace))
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
            if (current.Usings.LastOrDefault() is { } last)
            {
                editor.InsertAfter(last, directive);
            }
            else if (current.Members.FirstOrDefault() is { } first)
            {
                editor.InsertBefore(first, directive);
            }
        });
    }
}
