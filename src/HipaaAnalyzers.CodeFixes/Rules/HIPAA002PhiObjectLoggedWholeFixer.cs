using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Rules;
using HipaaAnalyzers.Sinks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA002: logs the object's non-PHI identifier instead of the whole object ("HIPAA002.LogIdentifier": <c>patient</c>
/// becomes <c>patient.Id</c>, and a <c>{@Patient}</c> hole of the same call becomes <c>{Patient}</c>), or wraps the
/// object in <c>Phi.Redact(...)</c> ("HIPAA002.Redact").
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA002PhiObjectLoggedWholeFixer)), Shared]
public sealed class HIPAA002PhiObjectLoggedWholeFixer : CodeFixProvider
{
    private const string LogIdentifierKey = RuleIds.PhiObjectLoggedWhole + ".LogIdentifier";

    private static readonly PhiFixes Fixes = new(Build);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PhiObjectLoggedWhole);

    public override FixAllProvider GetFixAllProvider() => Fixes.FixAll;

    public override Task RegisterCodeFixesAsync(CodeFixContext context) => Fixes.RegisterAsync(context);

    private static void Build(PhiFixContext context, Diagnostic diagnostic, FixTarget target, List<PhiFix> fixes)
    {
        if (diagnostic.Properties.TryGetValue(HIPAA002PhiObjectLoggedWholeAnalyzer.IdentifierMemberProperty, out var identifier) &&
            !string.IsNullOrEmpty(identifier) &&
            LogIdentifier(context, target, identifier!) is { } logIdentifier)
        {
            fixes.Add(logIdentifier);
        }

        context.AddSanitizer(fixes, target, RuleIds.PhiObjectLoggedWhole, PhiRuntime.Redact);
    }

    /// <summary>"Log Patient.Id instead": <c>patient</c> becomes <c>patient.Id</c> (or <c>patient?.Id</c> when it may be null).</summary>
    private static PhiFix? LogIdentifier(PhiFixContext context, FixTarget target, string name)
    {
        var model = context.Model;
        var cancellationToken = context.CancellationToken;
        var expression = target.Expression;
        if (FindIdentifier(model, expression.SpanStart, target.Type, name) is not { } property)
        {
            return null;
        }

        var maybeNull = target.Type.IsReferenceType && target.TypeInfo.Nullability.FlowState == NullableFlowState.MaybeNull;
        var receiver = AsReceiver(expression.WithoutTrivia());
        ExpressionSyntax access = maybeNull
            ? SyntaxFactory.ConditionalAccessExpression(receiver, SyntaxFactory.MemberBindingExpression(SyntaxFactory.IdentifierName(name)))
            : SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(name));
        access = access.WithTriviaFrom(expression);

        var accessType = property.Type;
        if (maybeNull && accessType.IsValueType && accessType.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
        {
            accessType = model.Compilation.GetSpecialType(SpecialType.System_Nullable_T).Construct(accessType);
        }

        if (!target.Accepts(model, access, accessType, cancellationToken))
        {
            return null;
        }

        var edits = ImmutableDictionary<SyntaxNode, SyntaxNode>.Empty.Add(expression, access);
        if (WithoutDestructuring(expression, model, cancellationToken) is { } template)
        {
            edits = edits.Add(template.Original, template.Edited);
        }

        return new PhiFix("Log " + target.Type.Name + "." + name + " instead", LogIdentifierKey, edits);
    }

    /// <summary>The readable instance property the analyzer named, as seen from the call site.</summary>
    private static IPropertySymbol? FindIdentifier(SemanticModel model, int position, ITypeSymbol type, string name)
    {
        foreach (var symbol in model.LookupSymbols(position, type, name))
        {
            if (symbol is IPropertySymbol { IsStatic: false, IsIndexer: false, GetMethod: { } getter } property &&
                model.IsAccessible(position, getter))
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>The object as the receiver of a member access: parenthesized unless it already binds tighter.</summary>
    private static ExpressionSyntax AsReceiver(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or GenericNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or ThisExpressionSyntax
            ? expression
            : SyntaxFactory.ParenthesizedExpression(expression).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary>
    /// When <paramref name="value"/> is an argument that fills a destructuring hole ('{@Patient}') of a constant
    /// template in the same call: the template literal, and the literal with that hole's '@' removed. Logging an
    /// identifier with '@' is harmless, so anything unusual (named arguments, raw or escaped literals, arguments between
    /// the template and the value that do not fill holes) leaves the template alone.
    /// </summary>
    private static (LiteralExpressionSyntax Original, LiteralExpressionSyntax Edited)? WithoutDestructuring(
        ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (value.Parent is not ArgumentSyntax { NameColon: null } argument ||
            argument.Parent is not ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } list ||
            model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        var parameters = ParametersByArgument(operation);
        var index = list.Arguments.IndexOf(argument);
        if (!parameters.TryGetValue(argument, out var own) || !FillsHole(own))
        {
            return null;
        }

        for (var i = index - 1; i >= 0; i--)
        {
            var candidate = list.Arguments[i];
            if (candidate.NameColon is not null || !parameters.TryGetValue(candidate, out var parameter))
            {
                return null;
            }

            if (IsTemplate(parameter))
            {
                return candidate.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                    ? RemoveDestructuring(literal, index - i - 1)
                    : null;
            }

            if (!FillsHole(parameter))
            {
                return null;
            }
        }

        return null;
    }

    private static Dictionary<ArgumentSyntax, IParameterSymbol> ParametersByArgument(IInvocationOperation operation)
    {
        var result = new Dictionary<ArgumentSyntax, IParameterSymbol>();
        foreach (var argument in operation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            // params object[] in expanded form: one argument operation, one element per argument in the source.
            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
            {
                foreach (var item in items.ElementValues)
                {
                    if (item.Syntax.Parent is ArgumentSyntax element)
                    {
                        result[element] = parameter;
                    }
                }
            }
            else if (argument.Syntax is ArgumentSyntax syntax)
            {
                result[syntax] = parameter;
            }
        }

        return result;
    }

    // The same parameter names the analyzer treats as message templates.
    private static bool IsTemplate(IParameterSymbol parameter) =>
        parameter.Type.SpecialType == SpecialType.System_String &&
        parameter.Name is "message" or "messageTemplate" or "messageFormat" or "format";

    // Serilog's Information<T0, T1>(template, propertyValue0, propertyValue1): look at the declared, not the inferred, type.
    private static bool FillsHole(IParameterSymbol parameter) =>
        parameter.IsParams || parameter.OriginalDefinition.Type is ITypeParameterSymbol or { SpecialType: SpecialType.System_Object };

    private static (LiteralExpressionSyntax, LiteralExpressionSyntax)? RemoveDestructuring(LiteralExpressionSyntax literal, int hole)
    {
        var token = literal.Token;
        var text = token.Text;
        var verbatim = text.StartsWith("@\"", System.StringComparison.Ordinal);
        if (!verbatim && !text.StartsWith("\"", System.StringComparison.Ordinal))
        {
            return null;
        }

        // Escapes that spell a brace would make the holes of the source text differ from those of the value.
        if (!verbatim && (text.Contains("\\u") || text.Contains("\\U") || text.Contains("\\x")))
        {
            return null;
        }

        var value = token.ValueText;
        if (MessageTemplate.Destructured(value) is not { } destructured || hole >= destructured.Count || !destructured[hole])
        {
            return null;
        }

        var textAt = DestructuringAt(text, hole);
        var valueAt = DestructuringAt(value, hole);
        if (textAt < 0 || valueAt < 0)
        {
            return null;
        }

        var edited = SyntaxFactory.Literal(token.LeadingTrivia, text.Remove(textAt, 1), value.Remove(valueAt, 1), token.TrailingTrivia);
        return (literal, literal.WithToken(edited));
    }

    /// <summary>Index of the '@' that opens hole number <paramref name="hole"/>; holes are read as the analyzer reads them.</summary>
    private static int DestructuringAt(string template, int hole)
    {
        var current = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{')
            {
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '{')
            {
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                return -1;
            }

            if (current == hole)
            {
                var at = i + 1;
                while (at < close && char.IsWhiteSpace(template[at]))
                {
                    at++;
                }

                return at < close && template[at] == '@' ? at : -1;
            }

            current++;
            i = close;
        }

        return -1;
    }
}
