using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA201: reads the key from configuration or the environment instead of the code ("HIPAA201.ReadKey").
/// Text that is decoded into a key (<c>Encoding.UTF8.GetBytes("...")</c>, <c>Convert.FromBase64String("...")</c>)
/// keeps its decoding, so the same secret can be moved into the setting as it is; key bytes written in the code
/// (<c>new byte[] { ... }</c>, a field, a local) become <c>Convert.FromBase64String(setting)</c>. No fix is offered for
/// an IV: it must be random for each encryption and travel with the ciphertext (see HIPAA106).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA201HardCodedKeyFixer)), Shared]
public sealed class HIPAA201HardCodedKeyFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.HardCodedKey + ".ReadKey";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.HardCodedKey);

    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create((context, document, diagnostics) => FixAsync(document, diagnostics, context.CancellationToken));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, diagnostic) is not { } target || diagnostic.Properties.GetValueOrDefault(ConfigurationKeys.Property) is not { } key)
            {
                continue;
            }

            var source = SecretSources.Find(model, target.Node);
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Read the key from " + source.Describe(key),
                    async ct => (await FixAsync(document, ImmutableArray.Create(diagnostic), ct).ConfigureAwait(false))!,
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document?> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Target(editor.OriginalRoot, diagnostic) is not { } target ||
                diagnostic.Properties.GetValueOrDefault(ConfigurationKeys.Property) is not { } key ||
                !done.Add(target.Node))
            {
                continue;
            }

            var source = SecretSources.Find(model, target.Node);
            var replacement = target.Text
                ? SecretSources.Text(model, target.Node, source, key)
                : SecretSources.Base64Bytes(model, target.Node, source, key);
            editor.ReplaceNode(target.Node, replacement.WithTriviaFrom(target.Node));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The expression to replace, and whether it is text (a string) or key bytes.</summary>
    private static (ExpressionSyntax Node, bool Text)? Target(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.Properties.GetValueOrDefault(SecretFixData.HardCodedKey.KindProperty) == SecretFixData.HardCodedKey.Iv)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is not ExpressionSyntax value || value.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not null)
        {
            return null;
        }

        if (diagnostic.Properties.GetValueOrDefault(SecretFixData.HardCodedKey.ShapeProperty) == "text")
        {
            return (value, true);
        }

        // Encoding.UTF8.GetBytes("..."), Convert.FromBase64String("..."), Convert.FromHexString("..."): keep the decoding.
        var inner = value;
        while (inner is ParenthesizedExpressionSyntax parenthesized)
        {
            inner = parenthesized.Expression;
        }

        if (inner is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetBytes" or "FromBase64String" or "FromHexString" },
                ArgumentList.Arguments: { Count: 1 } arguments,
            } && arguments[0].NameColon is null && arguments[0].RefKindKeyword.RawKind == 0 &&
            arguments[0].Expression is not (ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax))
        {
            return (arguments[0].Expression, true);
        }

        return (value, false);
    }
}
