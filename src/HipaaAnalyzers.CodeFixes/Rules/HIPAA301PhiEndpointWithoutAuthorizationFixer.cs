using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA301: requires a named policy ("HIPAA301.RequirePolicy"): <c>[Authorize(Policy = "view:patients")]</c> on a
/// controller action (on the page model for a Razor Page, which ignores attributes on handlers) and
/// <c>.RequireAuthorization("view:patients")</c> on a minimal API endpoint. The name is the analyzer's suggestion:
/// view / edit / delete from the HTTP verb, and the resource from the controller, page or route.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA301PhiEndpointWithoutAuthorizationFixer)), Shared]
public sealed class HIPAA301PhiEndpointWithoutAuthorizationFixer : CodeFixProvider
{
    private static readonly EndpointFixes Fixes = new(
        diagnostic => "Require the policy '" + PolicyOf(diagnostic) + "'", RuleIds.PhiEndpointWithoutAuthorization + ".RequirePolicy", Apply);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiEndpointWithoutAuthorization);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    internal static string PolicyOf(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(EndpointAnalysis.PolicyProperty, out var policy) && !string.IsNullOrEmpty(policy) ? policy! : "phi";

    /// <summary>Adds a named policy to the endpoint; shared with HIPAA303, where nothing on the endpoint can take the name.</summary>
    internal static bool Apply(EndpointFixContext context, Diagnostic diagnostic)
    {
        var policy = PolicyOf(diagnostic);
        switch (context.FindTarget(diagnostic))
        {
            case InvocationExpressionSyntax mapCall:
                if (context.Type(EndpointFixContext.AuthorizationExtensionsName) is null || !context.TryClaim(mapCall))
                {
                    return false;
                }

                context.AppendCall(mapCall, "RequireAuthorization", SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(policy)));
                return true;

            case MemberDeclarationSyntax member:
                if (context.Type(EndpointFixContext.AuthorizeAttributeName) is not { } authorize)
                {
                    return false;
                }

                // A Razor Pages handler: the attribute goes on the page model.
                if (member is MethodDeclarationSyntax && IsPageHandler(diagnostic))
                {
                    member = member.Parent as TypeDeclarationSyntax ?? member;
                }

                if (!context.TryClaim(member))
                {
                    return false;
                }

                context.AddAttribute(member, context.AuthorizeAttribute(authorize, policy, member.SpanStart));
                return true;

            default:
                return false;
        }
    }

    internal static bool IsPageHandler(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(EndpointAnalysis.KindProperty, out var kind) && kind == nameof(EndpointKind.PageHandler);
}
