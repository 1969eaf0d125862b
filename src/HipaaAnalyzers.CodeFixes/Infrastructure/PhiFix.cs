using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>One way to fix one diagnostic: nodes of the document and what replaces each.</summary>
internal sealed class PhiFix
{
    public PhiFix(string title, string equivalenceKey, ImmutableDictionary<SyntaxNode, SyntaxNode> edits)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
        Edits = edits;
    }

    public string Title { get; }

    /// <summary>Stable per variant ("HIPAA001.Redact"), so Fix All applies the variant that was picked.</summary>
    public string EquivalenceKey { get; }

    /// <summary>Original node to replacement; the nodes never overlap each other.</summary>
    public ImmutableDictionary<SyntaxNode, SyntaxNode> Edits { get; }

    public static PhiFix Replace(string title, string equivalenceKey, ExpressionSyntax original, ExpressionSyntax replacement) =>
        new(title, equivalenceKey, ImmutableDictionary<SyntaxNode, SyntaxNode>.Empty.Add(original, replacement));

    public static SyntaxNode Apply(SyntaxNode root, IReadOnlyDictionary<SyntaxNode, SyntaxNode> edits) =>
        root.ReplaceNodes(edits.Keys, (original, _) => edits[original]);
}
