using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Microsoft.CodeAnalysis.Editing;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// What the PHI fixes of one document need: its root, its semantic model and the runtime's <c>Phi</c> type, resolved
/// once for all the diagnostics being fixed.
/// </summary>
internal sealed class PhiFixContext
{
    private PhiFixContext(Document document, SyntaxNode root, SemanticModel model, INamedTypeSymbol phi, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        Model = model;
        Phi = phi;
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel Model { get; }

    public INamedTypeSymbol Phi { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Null when the compilation cannot call the runtime's <c>Phi</c>: then no fix is offered.</summary>
    public static async Task<PhiFixContext?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || PhiRuntime.Resolve(model.Compilation) is not { } phi)
        {
            return null;
        }

        return new PhiFixContext(document, root, model, phi, cancellationToken);
    }

    public FixTarget? FindTarget(Diagnostic diagnostic) => FindTarget(diagnostic, toSinkValue: false);

    /// <summary>
    /// The diagnostic's expression, or with <paramref name="toSinkValue"/> the value made from it that reaches the sink
    /// (the PHI rules put the value handed to the sink in the diagnostic's first additional location): a computation
    /// on the PHI (<c>Hash(p.Ssn)</c>, <c>p.Ssn.Substring(5)</c>, <c>await Lookup(p.Ssn)</c>) is taken whole, so a
    /// sanitizer wraps its result and not its input; text composition (an interpolation hole, a concatenated operand,
    /// an argument of <c>string.Format</c>, <c>Concat</c> or <c>Join</c>) stops the walk, since that value reaches the
    /// sink as it is, and so does a constructor argument (<c>new KeyValuePair&lt;string, object?&gt;("ssn", p.Ssn)</c>
    /// holds the value as it is).
    /// </summary>
    public FixTarget? FindTarget(Diagnostic diagnostic, bool toSinkValue)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != Root.SyntaxTree)
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        if (toSinkValue && diagnostic.AdditionalLocations.Count > 0 && diagnostic.AdditionalLocations[0] is { IsInSource: true } sink &&
            sink.SourceTree == Root.SyntaxTree && sink.SourceSpan.Contains(span))
        {
            span = SinkValueSpan(span, sink.SourceSpan);
        }

        return FixTarget.Find(Root, Model, span, CancellationToken);
    }

    private TextSpan SinkValueSpan(TextSpan span, TextSpan sinkValue)
    {
        var node = Root.FindNode(span, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is not ExpressionSyntax expression)
        {
            return span;
        }

        while (expression.Span != sinkValue)
        {
            ExpressionSyntax? next = expression.Parent switch
            {
                ParenthesizedExpressionSyntax or CastExpressionSyntax or AwaitExpressionSyntax => (ExpressionSyntax)expression.Parent,
                PostfixUnaryExpressionSyntax suppress when suppress.IsKind(SyntaxKind.SuppressNullableWarningExpression) => suppress,
                MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access
                    when access.Expression == expression && invocation.Expression == access => invocation,
                MemberAccessExpressionSyntax access when access.Expression == expression => access,
                ConditionalAccessExpressionSyntax conditional when conditional.Expression == expression => conditional,
                ElementAccessExpressionSyntax element when element.Expression == expression => element,
                ArgumentSyntax { Parent: BracketedArgumentListSyntax { Parent: ElementAccessExpressionSyntax element } } => element,
                ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } } when !ComposesText(call) => call,
                _ => null,
            };

            if (next is null || !sinkValue.Contains(next.Span))
            {
                break;
            }

            expression = next;
        }

        return expression.Span;
    }

    /// <summary>string.Format, Concat and Join put their arguments into the text as they are.</summary>
    private bool ComposesText(ExpressionSyntax call) =>
        Model.GetSymbolInfo(call, CancellationToken).Symbol is IMethodSymbol
        {
            Name: "Format" or "Concat" or "Join",
            ContainingType.SpecialType: SpecialType.System_String,
        };

    /// <summary>
    /// Adds the fix that wraps the target in <c>Phi.Method(...)</c>: "Redact with Phi.Redact" (key "HIPAA001.Redact"),
    /// "Pseudonymize with Phi.Pseudonymize" (key "HIPAA001.Pseudonymize"); nothing when the result would not compile.
    /// </summary>
    public void AddSanitizer(List<PhiFix> fixes, FixTarget target, string ruleId, string sanitizer)
    {
        if (!PhiRuntime.Has(Phi, sanitizer))
        {
            return;
        }

        var call = PhiRuntime.Call(SyntaxGenerator.GetGenerator(Document), Model, target.Expression.SpanStart, Phi, sanitizer, target.Expression);
        var stringType = Model.Compilation.GetSpecialType(SpecialType.System_String);
        if (target.Accepts(Model, call, stringType, CancellationToken))
        {
            fixes.Add(PhiFix.Replace(sanitizer + " with Phi." + sanitizer, ruleId + "." + sanitizer, target.Expression, call));
        }
    }
}
