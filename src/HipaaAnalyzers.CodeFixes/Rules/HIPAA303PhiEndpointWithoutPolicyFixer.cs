using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA303: names a policy ("HIPAA303.NamePolicy"): <c>[Authorize]</c> on the action (or the page model) becomes
/// <c>[Authorize(Policy = "view:patients")]</c>, <c>.RequireAuthorization()</c> chained on the endpoint becomes
/// <c>.RequireAuthorization("view:patients")</c>; otherwise the policy is added to the endpoint as HIPAA301's fix does,
/// which narrows an <c>[Authorize]</c> on the controller or a group's requirement (requirements combine).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA303PhiEndpointWithoutPolicyFixer)), Shared]
public sealed class HIPAA303PhiEndpointWithoutPolicyFixer : CodeFixProvider
{
    private static readonly EndpointFixes Fixes = new(
        diagnostic => "Require the policy '" + HIPAA301PhiEndpointWithoutAuthorizationFixer.PolicyOf(diagnostic) + "'",
        RuleIds.PhiEndpointWithoutPolicy + ".NamePolicy",
        Apply);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiEndpointWithoutPolicy);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static bool Apply(EndpointFixContext context, Diagnostic diagnostic)
    {
        var policy = HIPAA301PhiEndpointWithoutAuthorizationFixer.PolicyOf(diagnostic);
        var target = context.FindTarget(diagnostic);
        if (target is MethodDeclarationSyntax method && HIPAA301PhiEndpointWithoutAuthorizationFixer.IsPageHandler(diagnostic))
        {
            target = method.Parent;
        }

        switch (target)
        {
            case InvocationExpressionSyntax mapCall when ChainedRequireAuthorization(mapCall) is { } require:
                if (!context.TryClaim(require))
                {
                    return false;
                }

                context.Editor.ReplaceNode(require.ArgumentList, (current, _) =>
                    ((ArgumentListSyntax)current).AddArguments(
                        SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(policy)))));
                return true;

            case MemberDeclarationSyntax member when PlainAuthorize(context, member) is { } attribute:
                if (!context.TryClaim(attribute))
                {
                    return false;
                }

                context.Editor.ReplaceNode(attribute, (current, _) =>
                    ((AttributeSyntax)current).WithArgumentList(
                        SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(EndpointFixContext.PolicyArgument(policy)))));
                return true;

            default:
                return HIPAA301PhiEndpointWithoutAuthorizationFixer.Apply(context, diagnostic);
        }
    }

    /// <summary><c>.RequireAuthorization()</c> without arguments, chained on the Map call.</summary>
    private static InvocationExpressionSyntax? ChainedRequireAuthorization(InvocationExpressionSyntax mapCall)
    {
        ExpressionSyntax current = mapCall;
        while (current.Parent is MemberAccessExpressionSyntax access && access.Expression == current &&
               access.Parent is InvocationExpressionSyntax call)
        {
            if (access.Name.Identifier.ValueText == "RequireAuthorization" && call.ArgumentList.Arguments.Count == 0)
            {
                return call;
            }

            current = call;
        }

        return null;
    }

    /// <summary><c>[Authorize]</c> or <c>[Authorize()]</c> on the member itself.</summary>
    private static AttributeSyntax? PlainAuthorize(EndpointFixContext context, MemberDeclarationSyntax member)
    {
        var authorize = context.Type(EndpointFixContext.AuthorizeAttributeName);
        return member.AttributeLists.SelectMany(list => list.Attributes).FirstOrDefault(attribute =>
            (attribute.ArgumentList is null || attribute.ArgumentList.Arguments.Count == 0) &&
            SymbolEqualityComparer.Default.Equals(context.Model.GetSymbolInfo(attribute, context.CancellationToken).Symbol?.ContainingType, authorize));
    }
}
