using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
/// HIPAA401: audits the endpoint ("HIPAA401.AuditPhiAccess"): <c>[AuditPhiAccess(AuditAction.Viewed)]</c> on a
/// controller action (on the page model for a Razor Page) and <c>.AuditPhiAccess(AuditAction.Viewed)</c> on a minimal
/// API endpoint, the action taken from the HTTP verb (GET viewed; POST, PUT, PATCH modified; DELETE deleted). Offered
/// when the project references HipaaAnalyzers.Runtime.AspNetCore.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA401PhiEndpointWithoutAuditFixer)), Shared]
public sealed class HIPAA401PhiEndpointWithoutAuditFixer : CodeFixProvider
{
    private static readonly EndpointFixes Fixes = new(
        diagnostic => "Audit as AuditAction." + ActionOf(diagnostic), RuleIds.PhiEndpointWithoutAudit + ".AuditPhiAccess", Apply);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiEndpointWithoutAudit);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static string ActionOf(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(EndpointAnalysis.AuditActionProperty, out var action) && !string.IsNullOrEmpty(action) ? action! : "Viewed";

    private static bool Apply(EndpointFixContext context, Diagnostic diagnostic)
    {
        if (context.Type(EndpointFixContext.AuditActionName) is not { } auditAction ||
            !auditAction.GetMembers(ActionOf(diagnostic)).Any(m => m is IFieldSymbol))
        {
            return false;
        }

        var target = context.FindTarget(diagnostic);
        ExpressionSyntax ActionValue() =>
            SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression, context.TypeName(auditAction, target!.SpanStart), SyntaxFactory.IdentifierName(ActionOf(diagnostic)));

        if (target is MethodDeclarationSyntax method && HIPAA301PhiEndpointWithoutAuthorizationFixer.IsPageHandler(diagnostic))
        {
            target = method.Parent;
        }

        switch (target)
        {
            case InvocationExpressionSyntax mapCall:
                if (context.Type(EndpointFixContext.AuditExtensionsName) is not { } extensions ||
                    !extensions.GetMembers("AuditPhiAccess").Any(m => m is IMethodSymbol { Parameters.Length: 2 }) ||
                    !context.TryClaim(mapCall))
                {
                    return false;
                }

                if (!context.IsExtensionInScope(mapCall, "AuditPhiAccess"))
                {
                    context.RequireNamespace(extensions.ContainingNamespace.ToDisplayString());
                }

                context.AppendCall(mapCall, "AuditPhiAccess", ActionValue());
                return true;

            case MemberDeclarationSyntax member:
                if (context.Type(EndpointFixContext.AuditAttributeName) is not { } attribute || !context.TryClaim(member))
                {
                    return false;
                }

                var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.Attribute(
                        context.TypeName(attribute, member.SpanStart),
                        SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(ActionValue()))))));
                context.AddAttribute(member, list);
                return true;

            default:
                return false;
        }
    }
}
