using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// The secrets fixes (HIPAA201-203) replace the hard-coded value where it is used. When that value came through a
/// field, constant, property or local whose initializer holds the literal, replacing the use alone would leave the
/// secret in the repository as dead code, and the scan would look clean. <see cref="FixAsync"/> runs a fixer's
/// per-document rewrite and then, for every such declaration: removes it when nothing else uses it (private members
/// and locals), or, when other code still reads it, rewrites its initializer to read the setting instead. Chains
/// (<c>Key = Encoding.UTF8.GetBytes(KeyText)</c>) are followed, so the literal leaves the code wherever it was written.
/// </summary>
internal static class HeldSecrets
{
    private const int MaxDepth = 4;

    /// <summary>A fixer's rewrite of one document: the new document, and for each replaced original node the setting key it now reads.</summary>
    public delegate Task<(Document Document, IReadOnlyList<Replacement> Replaced)> RewriteDocument(
        Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken);

    /// <summary>An original node a fixer replaced, the setting it now reads, and what kind of read the fixer chose (its own tag).</summary>
    public sealed class Replacement
    {
        public Replacement(SyntaxNode node, string key, string? variant = null)
        {
            Node = node;
            Key = key;
            Variant = variant;
        }

        public SyntaxNode Node { get; }
        public string Key { get; }
        public string? Variant { get; }
    }

    /// <summary>
    /// The expression that reads the setting <paramref name="key"/> as a value of <paramref name="type"/> at
    /// <paramref name="node"/> (a field, property or local initializer), or null when the fixer has no read for that type.
    /// </summary>
    public delegate ExpressionSyntax? ReadSetting(Document document, SemanticModel model, SyntaxNode node, ITypeSymbol type, string key, string? variant);

    /// <summary>A Fix All that rewrites each document, then cleans up the declarations that held the secrets, across the scope.</summary>
    public static FixAllProvider FixAll(RewriteDocument rewrite, ReadSetting read) => new Provider(rewrite, read);

    /// <summary>Rewrites the documents, then removes or rewrites the declarations the replaced values came from.</summary>
    public static async Task<Solution> FixAsync(
        Solution solution,
        IReadOnlyList<(DocumentId Document, ImmutableArray<Diagnostic> Diagnostics)> work,
        RewriteDocument rewrite,
        ReadSetting read,
        CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, Declaration>(System.StringComparer.Ordinal);
        var changed = solution;
        foreach (var (documentId, diagnostics) in work)
        {
            var document = solution.GetDocument(documentId);
            if (document is null || diagnostics.IsEmpty)
            {
                continue;
            }

            var (fixedDocument, replaced) = await rewrite(document, diagnostics, cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is not null)
            {
                foreach (var replacement in replaced)
                {
                    Collect(model, document.Project.Id, replacement.Node, replacement, held, 0, cancellationToken);
                }
            }

            var root = await fixedDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is not null)
            {
                changed = changed.WithDocumentSyntaxRoot(documentId, root);
            }
        }

        return held.Count == 0 ? changed : await CleanUpAsync(changed, held.Values.ToList(), read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A declaration that holds a hard-coded value: found again in the fixed solution by its member's id and, for a local, its name.</summary>
    private sealed class Declaration
    {
        public Declaration(ProjectId project, string memberId, string? localName, Replacement replacement, int depth)
        {
            Depth = depth;
            Project = project;
            MemberId = memberId;
            LocalName = localName;
            Replacement = replacement;
        }

        public ProjectId Project { get; }

        /// <summary>The documentation id of the field or property, or of the member that declares the local.</summary>
        public string MemberId { get; }

        public string? LocalName { get; }

        /// <summary>The replaced use it was found from: the setting and the fixer's kind of read.</summary>
        public Replacement Replacement { get; }

        /// <summary>0 for a declaration a fixed use read, 1 for one that declaration's value read, and so on.</summary>
        public int Depth { get; }

        public string Id => MemberId + "/" + LocalName;
    }

    /// <summary>
    /// Adds the declarations whose values <paramref name="replaced"/> reads and that hold a literal, themselves or through
    /// another such declaration; returns whether it found any.
    /// </summary>
    private static bool Collect(SemanticModel model, ProjectId project, SyntaxNode replaced, Replacement replacement, Dictionary<string, Declaration> held, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        bool any = false;
        foreach (var identifier in replaced.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var symbol = model.GetSymbolInfo(identifier, cancellationToken).Symbol;
            if (symbol is null || !SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, model.Compilation.Assembly) ||
                DeclarationOf(symbol) is not { } declaration || HoldingValue(declaration) is not { } value)
            {
                continue;
            }

            Declaration? entry = null;
            switch (symbol)
            {
                case IFieldSymbol or IPropertySymbol when DocumentationCommentId.CreateDeclarationId(symbol) is { } id:
                    entry = new Declaration(project, id, null, replacement, depth);
                    break;
                case ILocalSymbol local when EnclosingMember(model, declaration, cancellationToken) is { } member &&
                                            DocumentationCommentId.CreateDeclarationId(member) is { } memberId:
                    entry = new Declaration(project, memberId, local.Name, replacement, depth);
                    break;
            }

            if (entry is null)
            {
                continue;
            }

            if (held.ContainsKey(entry.Id))
            {
                any = true;
                continue;
            }

            var declarationModel = declaration.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(declaration.SyntaxTree);
            var through = Collect(declarationModel, project, value, replacement, held, depth + 1, cancellationToken);
            if (through || HoldsLiteral(value))
            {
                held[entry.Id] = entry;
                any = true;
            }
        }

        return any;
    }

    /// <summary>The declarator or property that declares <paramref name="symbol"/> in source, when there is exactly one.</summary>
    private static SyntaxNode? DeclarationOf(ISymbol symbol)
    {
        if (symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var syntax = symbol.DeclaringSyntaxReferences[0].GetSyntax();
        return syntax switch
        {
            VariableDeclaratorSyntax { Initializer: not null } declarator when symbol is IFieldSymbol or ILocalSymbol => declarator,
            PropertyDeclarationSyntax property when symbol is IPropertySymbol { SetMethod: null } => property,
            _ => null,
        };
    }

    /// <summary>The expression a declaration holds: the initializer, or a get-only property's expression body.</summary>
    private static ExpressionSyntax? HoldingValue(SyntaxNode declaration) => declaration switch
    {
        VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
        PropertyDeclarationSyntax property => property.ExpressionBody?.Expression ?? property.Initializer?.Value,
        _ => null,
    };

    /// <summary>Whether the value is written in the code: a non-empty string, UTF-8 string or number literal.</summary>
    private static bool HoldsLiteral(ExpressionSyntax value)
    {
        foreach (var node in value.DescendantNodesAndSelf())
        {
            if (node is LiteralExpressionSyntax literal)
            {
                switch (literal.Kind())
                {
                    case SyntaxKind.StringLiteralExpression or SyntaxKind.Utf8StringLiteralExpression when literal.Token.ValueText.Length > 0:
                    case SyntaxKind.NumericLiteralExpression:
                        return true;
                }
            }
            else if (node is InterpolatedStringTextSyntax { TextToken.ValueText.Length: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? EnclosingMember(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var symbol = model.GetEnclosingSymbol(node.SpanStart, cancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    private static async Task<Solution> CleanUpAsync(Solution solution, List<Declaration> held, ReadSetting read, CancellationToken cancellationToken)
    {
        var pending = new List<Declaration>(held);
        solution = await RemoveUnusedAsync(solution, pending, cancellationToken).ConfigureAwait(false);

        // What is still read elsewhere keeps its declaration, with an initializer that reads the setting: first the
        // declarations the fixed uses read (so every reader gets the same key), then whatever of their chains is left.
        foreach (var declaration in pending.OrderBy(d => d.Depth).ToList())
        {
            if (!pending.Contains(declaration) ||
                await FindAsync(solution, declaration, cancellationToken).ConfigureAwait(false) is not { } found ||
                HoldingValue(found.Node) is not { } value || declaration.Depth > 0 && !HoldsLiteral(value) || TypeOf(found.Symbol) is not { } type ||
                read(found.Document, found.Model, value, type, declaration.Replacement.Key, declaration.Replacement.Variant) is not { } replacement)
            {
                continue;
            }

            var root = found.Root;
            var owner = found.Node.Ancestors().FirstOrDefault(a => a is FieldDeclarationSyntax or LocalDeclarationStatementSyntax);
            if (owner is not null && IsConstant(owner))
            {
                if (found.Symbol is IFieldSymbol && await UsedAsConstantAsync(solution, found.Symbol, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var annotation = new SyntaxAnnotation();
                root = root.ReplaceNode(value, replacement.WithTriviaFrom(value).WithAdditionalAnnotations(annotation));
                owner = root.GetAnnotatedNodes(annotation).Single().Ancestors().First(a => a is FieldDeclarationSyntax or LocalDeclarationStatementSyntax);
                root = root.ReplaceNode(owner, WithoutConst(owner));
            }
            else
            {
                root = root.ReplaceNode(value, replacement.WithTriviaFrom(value));
            }

            solution = solution.WithDocumentSyntaxRoot(found.Document.Id, root);
            pending.Remove(declaration);
            solution = await RemoveUnusedAsync(solution, pending, cancellationToken).ConfigureAwait(false);
        }

        return solution;
    }

    /// <summary>Removes the pending declarations nothing reads any more, repeatedly: one removed can leave the one it read unused.</summary>
    private static async Task<Solution> RemoveUnusedAsync(Solution solution, List<Declaration> pending, CancellationToken cancellationToken)
    {
        bool removed = true;
        for (int round = 0; removed && round <= MaxDepth + 1; round++)
        {
            removed = false;
            foreach (var declaration in pending.ToList())
            {
                if (await FindAsync(solution, declaration, cancellationToken).ConfigureAwait(false) is not { } found)
                {
                    pending.Remove(declaration);
                    continue;
                }

                if (!Removable(found.Symbol) || await IsReferencedAsync(solution, found.Symbol, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                solution = solution.WithDocumentSyntaxRoot(found.Document.Id, Remove(found.Root, found.Node));
                pending.Remove(declaration);
                removed = true;
            }
        }

        return solution;
    }

    private sealed class Found
    {
        public Found(Document document, SyntaxNode root, SemanticModel model, SyntaxNode node, ISymbol symbol)
        {
            Document = document;
            Root = root;
            Model = model;
            Node = node;
            Symbol = symbol;
        }

        public Document Document { get; }
        public SyntaxNode Root { get; }
        public SemanticModel Model { get; }
        public SyntaxNode Node { get; }
        public ISymbol Symbol { get; }
    }

    private static async Task<Found?> FindAsync(Solution solution, Declaration declaration, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(declaration.Project);
        var compilation = project is null ? null : await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (project is null || compilation is null ||
            DocumentationCommentId.GetFirstSymbolForDeclarationId(declaration.MemberId, compilation) is not { DeclaringSyntaxReferences.Length: 1 } member)
        {
            return null;
        }

        var memberSyntax = await member.DeclaringSyntaxReferences[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false);
        var document = solution.GetDocument(memberSyntax.SyntaxTree);
        if (document is null)
        {
            return null;
        }

        var root = await memberSyntax.SyntaxTree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        var model = compilation.GetSemanticModel(memberSyntax.SyntaxTree);
        if (declaration.LocalName is null)
        {
            return DeclarationOf(member) is { } node ? new Found(document, root, model, node, member) : null;
        }

        var locals = memberSyntax.DescendantNodes()
            .OfType<VariableDeclaratorSyntax>()
            .Where(v => v.Identifier.ValueText == declaration.LocalName && v.Parent?.Parent is LocalDeclarationStatementSyntax)
            .ToList();
        if (locals.Count != 1 || model.GetDeclaredSymbol(locals[0], cancellationToken) is not ILocalSymbol local || locals[0].Initializer is null)
        {
            return null;
        }

        return new Found(document, root, model, locals[0], local);
    }

    /// <summary>
    /// Locals, and members no other assembly can see, go when unused; a member other assemblies could read (public, or
    /// internal with <c>InternalsVisibleTo</c>) keeps its declaration.
    /// </summary>
    private static bool Removable(ISymbol symbol)
    {
        if (symbol is ILocalSymbol)
        {
            return true;
        }

        if (symbol.ContainingType?.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return false;
        }

        var accessibility = symbol.DeclaredAccessibility;
        for (var type = symbol.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility < accessibility)
            {
                accessibility = type.DeclaredAccessibility;
            }
        }

        return accessibility == Accessibility.Private ||
               accessibility is Accessibility.Internal or Accessibility.ProtectedAndInternal &&
               !symbol.ContainingAssembly.GetAttributes().Any(a => a.AttributeClass?.Name == "InternalsVisibleToAttribute");
    }

    private static async Task<bool> IsReferencedAsync(Solution solution, ISymbol symbol, CancellationToken cancellationToken)
    {
        foreach (var reference in await SymbolFinder.FindReferencesAsync(symbol, solution, cancellationToken).ConfigureAwait(false))
        {
            if (reference.Locations.Any(l => !l.IsImplicit))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<bool> UsedAsConstantAsync(Solution solution, ISymbol symbol, CancellationToken cancellationToken)
    {
        foreach (var reference in await SymbolFinder.FindReferencesAsync(symbol, solution, cancellationToken).ConfigureAwait(false))
        {
            foreach (var location in reference.Locations)
            {
                var root = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var node = root?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                if (node is not null && (RequiresConstant(node) || node.Ancestors().Any(a => a is FieldDeclarationSyntax or LocalDeclarationStatementSyntax && IsConstant(a))))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Attribute arguments, parameter defaults, case labels and constant patterns need a compile-time constant.</summary>
    internal static bool RequiresConstant(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AttributeArgumentSyntax:
                case ParameterSyntax:
                case CaseSwitchLabelSyntax:
                case ConstantPatternSyntax:
                    return true;
                case StatementSyntax:
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        ILocalSymbol local => local.Type,
        _ => null,
    };

    private static bool IsConstant(SyntaxNode owner) => owner switch
    {
        FieldDeclarationSyntax field => field.Modifiers.Any(SyntaxKind.ConstKeyword),
        LocalDeclarationStatementSyntax local => local.IsConst,
        _ => false,
    };

    /// <summary>The declarator's whole declaration when it is the only variable, else the declarator alone.</summary>
    private static SyntaxNode Remove(SyntaxNode root, SyntaxNode node)
    {
        var target = node;
        if (node is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: { } owner } } &&
            owner is FieldDeclarationSyntax or LocalDeclarationStatementSyntax)
        {
            target = owner;
        }

        // A blank line left between the brace (or a blank line) before and the code after is dropped with the declaration.
        var previous = target.GetFirstToken().GetPreviousToken();
        var next = target.GetLastToken().GetNextToken();
        bool blankBefore = previous.IsKind(SyntaxKind.OpenBraceToken) || target.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var marker = new SyntaxAnnotation();
        if (blankBefore && next.RawKind != 0)
        {
            var removed = new SyntaxAnnotation();
            root = root.ReplaceNode(target, target.WithAdditionalAnnotations(removed));
            next = root.GetAnnotatedNodes(removed).Single().GetLastToken().GetNextToken();
            root = root.ReplaceToken(next, next.WithAdditionalAnnotations(marker));
            target = root.GetAnnotatedNodes(removed).Single();
        }

        root = root.RemoveNode(target, SyntaxRemoveOptions.KeepNoTrivia | SyntaxRemoveOptions.KeepDirectives) ?? root;
        if (root.GetAnnotatedTokens(marker).FirstOrDefault() is { RawKind: not 0 } after)
        {
            var leading = after.LeadingTrivia;
            int blank = 0;
            while (blank < leading.Count && leading[blank].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                blank++;
            }

            if (blank < leading.Count && leading[blank].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                root = root.ReplaceToken(after, after.WithLeadingTrivia(leading.Skip(blank + 1)));
            }
        }

        return root;
    }

    /// <summary><c>private const string X</c> becomes <c>private static readonly string X</c>; <c>const string x</c> becomes <c>string x</c>.</summary>
    internal static SyntaxNode WithoutConst(SyntaxNode node)
    {
        switch (node)
        {
            case FieldDeclarationSyntax field:
                var constKeyword = field.Modifiers.First(m => m.IsKind(SyntaxKind.ConstKeyword));
                var index = field.Modifiers.IndexOf(constKeyword);
                var modifiers = field.Modifiers.RemoveAt(index)
                    .Insert(index, SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword).WithTrailingTrivia(SyntaxFactory.Space))
                    .Insert(index, SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithLeadingTrivia(constKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space));
                return field.WithModifiers(modifiers);
            case LocalDeclarationStatementSyntax local:
                var localConst = local.Modifiers.First(m => m.IsKind(SyntaxKind.ConstKeyword));
                var rest = local.Modifiers.Remove(localConst);
                var result = local.WithModifiers(rest);
                return rest.Count == 0 ? result.WithDeclaration(result.Declaration.WithLeadingTrivia(localConst.LeadingTrivia)) : result;
            default:
                return node;
        }
    }

    private sealed class Provider : FixAllProvider
    {
        private readonly RewriteDocument _rewrite;
        private readonly ReadSetting _read;

        public Provider(RewriteDocument rewrite, ReadSetting read)
        {
            _rewrite = rewrite;
            _read = read;
        }

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext) =>
            Task.FromResult<CodeAction?>(CodeAction.Create(
                fixAllContext.CodeActionEquivalenceKey ?? "Fix all",
                ct => FixScopeAsync(fixAllContext, ct),
                fixAllContext.CodeActionEquivalenceKey));

        private async Task<Solution> FixScopeAsync(FixAllContext context, CancellationToken cancellationToken)
        {
            IEnumerable<Document> documents = context.Scope switch
            {
                FixAllScope.Document when context.Document is not null => new[] { context.Document },
                FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents),
                _ => context.Project.Documents,
            };

            var work = new List<(DocumentId, ImmutableArray<Diagnostic>)>();
            foreach (var document in documents)
            {
                var diagnostics = await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                if (!diagnostics.IsEmpty)
                {
                    work.Add((document.Id, diagnostics));
                }
            }

            return await FixAsync(context.Solution, work, _rewrite, _read, cancellationToken).ConfigureAwait(false);
        }
    }
}
