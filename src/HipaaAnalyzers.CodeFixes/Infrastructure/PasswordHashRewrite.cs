using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Rename;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.CodeFixes.Infrastructure;

/// <summary>
/// Turns a plain-text password property of an EF Core entity into a <c>PasswordHasher&lt;T&gt;</c> hash, across the
/// solution: the property is renamed (<c>Password</c> becomes <c>PasswordHash</c>) and keeps its column with
/// <c>[Column("Password")]</c>; every assignment of a password to it hashes the value
/// (<c>new PasswordHasher&lt;T&gt;().HashPassword(user, value)</c>); every comparison of it with a submitted password
/// verifies (<c>new PasswordHasher&lt;T&gt;().VerifyHashedPassword(user, user.PasswordHash, submitted) !=
/// PasswordVerificationResult.Failed</c>).
/// </summary>
/// <remarks>
/// <para>
/// A comparison cannot be fixed alone: verifying needs a hash in the column, and hashing needs every write hashed. So
/// the fix changes the property and all its uses together, and is offered only when every use can be rewritten so the
/// code still compiles and signs users in: otherwise a comparison left behind would compare a hash with what the user
/// typed and fail silently.
/// </para>
/// <para>
/// Not offered when a comparison has a shape the fix does not rewrite (<c>string.Compare</c> other than
/// <c>== 0</c> / <c>!= 0</c>, a property pattern, <c>?.</c>, an <c>Equals</c> or <c>Compare</c> of another type such as
/// <c>StringComparer</c>); when a comparison sits in a LINQ query translated to SQL (an expression tree) other than the
/// simple shape rewritten to load-then-verify below; when the column is declared shorter than a hash (84 characters);
/// when every entity constructor has a parameter EF Core binds to the property by name; when the property starts with
/// a default password (<c>= "changeme"</c>, a hard-coded credential to remove, not to hash); for a property that
/// overrides, is overridden or implements another; and when a project whose code must hash or verify does not
/// reference <c>Microsoft.AspNetCore.Identity.PasswordHasher&lt;TUser&gt;</c>.
/// </para>
/// <para>
/// A query <c>source.M(u =&gt; u.Email == email &amp;&amp; u.Password == password)</c>, M one of <c>Any</c>,
/// <c>First</c>, <c>FirstOrDefault</c>, <c>Single</c>, <c>SingleOrDefault</c>, <c>Count</c>, <c>LongCount</c>, becomes
/// <c>source.Where(u =&gt; u.Email == email).AsEnumerable().M(u =&gt; verify)</c>: the rows with that e-mail are loaded
/// and the password is verified in memory; the awaited <c>...Async</c> forms become
/// <c>(await source.Where(...).ToListAsync()).M(u =&gt; verify)</c>. The other conditions must include an equality on
/// another property, so the query does not load the whole table.
/// </para>
/// <para>
/// <c>PasswordHasher&lt;TUser&gt;</c>'s own implementation does not read its <c>user</c> argument. The fix passes the
/// entity where one is at hand (<c>user</c>, <c>this</c>) and <c>null!</c> where there is none yet: in an object
/// initializer (<c>new PortalUser { Password = dto.Password }</c>), where setting the value after construction would
/// need a statement and the initializer can sit inside any expression; and where the receiver is an expression that
/// should be evaluated once (<c>Find(id).Password</c>).
/// </para>
/// <para>
/// Values that are not passwords stay as they are: <c>null</c>, <c>""</c>, <c>string.Empty</c> (no password: an empty
/// hash never verifies), a value that is already a hash (a <c>HashPassword</c> call, a member named as a hash, the
/// property itself), and comparisons with those.
/// </para>
/// </remarks>
internal static class PasswordHashRewrite
{
    public const string PasswordHasherMetadataName = "Microsoft.AspNetCore.Identity.PasswordHasher`1";
    public const string VerificationResultMetadataName = "Microsoft.AspNetCore.Identity.PasswordVerificationResult";
    public const string ColumnAttributeMetadataName = "System.ComponentModel.DataAnnotations.Schema.ColumnAttribute";

    /// <summary>The length of a <c>PasswordHasher</c> version 3 hash in base64: 1 + 4 + 4 + 4 + 16 + 32 bytes.</summary>
    public const int HashLength = 84;

    private static readonly string[] QueryMethods = { "Any", "First", "FirstOrDefault", "Single", "SingleOrDefault", "Count", "LongCount" };

    private static readonly Regex DeclaredLength = new(@"\(\s*(?<length>\d+)\s*\)", RegexOptions.CultureInvariant);

    /// <summary>Whether the compilation can use <c>PasswordHasher&lt;TUser&gt;</c> and <c>PasswordVerificationResult</c>.</summary>
    public static bool HasPasswordHasher(Compilation compilation) =>
        CryptoSyntax.Resolve(compilation, PasswordHasherMetadataName) is not null &&
        CryptoSyntax.Resolve(compilation, VerificationResultMetadataName) is not null;

    /// <summary>
    /// The source property behind a diagnostic's <c>PropertyId</c> / <c>Assembly</c> properties, resolved in
    /// <paramref name="document"/>'s compilation and then to its declaration in the solution.
    /// </summary>
    public static async Task<IPropertySymbol?> FindPropertyAsync(Document document, string? propertyId, string? assembly, CancellationToken cancellationToken)
    {
        if (propertyId is null || await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation)
        {
            return null;
        }

        var property = DocumentationCommentId.GetSymbolsForDeclarationId(propertyId, compilation)
            .OfType<IPropertySymbol>()
            .FirstOrDefault(p => assembly is null || p.ContainingAssembly?.Name == assembly);
        return property is null
            ? null
            : await SymbolFinder.FindSourceDefinitionAsync(property, document.Project.Solution, cancellationToken).ConfigureAwait(false) as IPropertySymbol;
    }

    /// <summary>What the fix will do to <paramref name="property"/>, or null when it cannot do it safely.</summary>
    public static async Task<Plan?> PlanAsync(Solution solution, IPropertySymbol property, CancellationToken cancellationToken)
    {
        if (!CanRename(property) || property.DeclaringSyntaxReferences.Length != 1 ||
            await property.DeclaringSyntaxReferences[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not PropertyDeclarationSyntax declaration ||
            solution.GetDocument(declaration.SyntaxTree) is not { } declaringDocument ||
            await declaringDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } declaringModel ||
            CryptoSyntax.Resolve(declaringModel.Compilation, ColumnAttributeMetadataName) is null ||
            !ColumnFits(property, out _) ||
            HasConstructorParameterFor(property) || HasDefaultPassword(declaration) ||
            property.IsVirtual && (await SymbolFinder.FindOverridesAsync(property, solution, cancellationToken: cancellationToken).ConfigureAwait(false)).Any())
        {
            return null;
        }

        var type = property.ContainingType;
        var newName = NewName(type, property.Name);
        var plan = new Plan(
            declaringDocument.Project.Id,
            DocumentationCommentId.CreateDeclarationId(property),
            DocumentationCommentId.CreateDeclarationId(type),
            type.Name,
            property.Name,
            newName);

        // Every use must be one the fix rewrites or may leave (a read); the documents that hash or verify need the hasher.
        var references = await SymbolFinder.FindReferencesAsync(property, solution, cancellationToken).ConfigureAwait(false);
        foreach (var group in Locations(references).GroupBy(l => l.Document.Id))
        {
            var document = solution.GetDocument(group.Key)!;
            var context = await DocumentContext.CreateAsync(document, plan, cancellationToken).ConfigureAwait(false);
            if (context is null || context.Edits(property, group.Select(l => l.Location.SourceSpan), cancellationToken) is not { } edits ||
                edits.Count > 0 && !context.CanHash)
            {
                return null;
            }
        }

        return plan;
    }

    /// <summary>Renames the property, keeps its column, hashes what is assigned to it and verifies what is compared with it.</summary>
    public static async Task<Solution> ApplyAsync(Solution solution, Plan plan, CancellationToken cancellationToken)
    {
        // Planned again on this solution: Fix All applies several plans one after another.
        if (solution.GetProject(plan.Project) is not { } project ||
            await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation ||
            DocumentationCommentId.GetSymbolsForDeclarationId(plan.PropertyId, compilation)
                .OfType<IPropertySymbol>()
                .FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.ContainingAssembly, compilation.Assembly)) is not { } property ||
            await PlanAsync(solution, property, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return solution;
        }

        var renamed = await Renamer.RenameSymbolAsync(solution, property, new SymbolRenameOptions(), current.NewName, cancellationToken).ConfigureAwait(false);
        var renamedCompilation = await renamed.GetProject(current.Project)!.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (DocumentationCommentId.GetFirstSymbolForDeclarationId(current.TypeId, renamedCompilation!) is not INamedTypeSymbol type ||
            type.GetMembers(current.NewName).OfType<IPropertySymbol>().FirstOrDefault() is not { } hashProperty ||
            hashProperty.DeclaringSyntaxReferences.FirstOrDefault() is not { } declarationReference)
        {
            return solution;
        }

        var declaringDocument = renamed.GetDocument(declarationReference.SyntaxTree)!;
        var references = await SymbolFinder.FindReferencesAsync(hashProperty, renamed, cancellationToken).ConfigureAwait(false);
        var spansByDocument = Locations(references)
            .GroupBy(l => l.Document.Id)
            .ToDictionary(g => g.Key, g => g.Select(l => l.Location.SourceSpan).ToList());
        if (!spansByDocument.ContainsKey(declaringDocument.Id))
        {
            spansByDocument[declaringDocument.Id] = new List<TextSpan>();
        }

        var result = renamed;
        foreach (var entry in spansByDocument)
        {
            var document = renamed.GetDocument(entry.Key)!;
            var context = await DocumentContext.CreateAsync(document, current, cancellationToken).ConfigureAwait(false);
            if (context?.Edits(hashProperty, entry.Value, cancellationToken) is not { } edits)
            {
                return solution;
            }

            var editor = new SyntaxEditor(context.Root, document.Project.Solution.Services);
            foreach (var edit in edits)
            {
                editor.ReplaceNode(edit.Node, edit.Replacement.WithTriviaFrom(edit.Node).WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation));
            }

            if (edits.Any(e => e.NeedsLinq))
            {
                context.Imports.Add("System.Linq");
            }

            if (context.Imports.Count > 0 && context.Root is CompilationUnitSyntax unit)
            {
                editor.ReplaceNode(unit, (currentUnit, _) => context.Imports.Aggregate((CompilationUnitSyntax)currentUnit, AddUsing));
            }

            if (entry.Key == declaringDocument.Id)
            {
                var declaration = (PropertyDeclarationSyntax)await declarationReference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false);
                context.EditDeclaration(editor, declaration, current.OldName);
            }

            result = result.WithDocumentSyntaxRoot(entry.Key, editor.GetChangedRoot());
        }

        return result;
    }

    /// <summary>Adds <c>using <paramref name="name"/>;</c> among the file's usings, System namespaces first, in order.</summary>
    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string name)
    {
        static string Order(string ns) => (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) ? "0" : "1") + ns;

        var newLine = unit.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } found && found.IsKind(SyntaxKind.EndOfLineTrivia)
            ? found
            : SyntaxFactory.EndOfLine("\n");
        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name)).NormalizeWhitespace();
        var usings = unit.Usings;
        if (usings.Count == 0)
        {
            // The first using of the file: after its header and directives (#nullable), then a blank line.
            var first = unit.GetFirstToken(includeZeroWidth: true);
            directive = directive.WithLeadingTrivia(first.LeadingTrivia).WithTrailingTrivia(newLine, newLine);
            unit = unit.ReplaceToken(first, first.WithLeadingTrivia());
            return unit.WithUsings(SyntaxFactory.SingletonList(directive));
        }

        var index = 0;
        while (index < usings.Count && (usings[index].Alias is not null || !usings[index].StaticKeyword.IsKind(SyntaxKind.None) ||
                                       string.CompareOrdinal(Order(usings[index].Name?.ToString() ?? ""), Order(name)) < 0))
        {
            index++;
        }

        if (index < usings.Count)
        {
            // Before an existing using: take over its leading trivia (a #nullable line, a file header).
            directive = directive.WithLeadingTrivia(usings[index].GetLeadingTrivia()).WithTrailingTrivia(newLine);
            usings = usings.Replace(usings[index], usings[index].WithLeadingTrivia());
        }
        else
        {
            directive = directive.WithTrailingTrivia(usings[index - 1].GetTrailingTrivia());
        }

        return unit.WithUsings(usings.Insert(index, directive));
    }

    private static IEnumerable<ReferenceLocation> Locations(IEnumerable<ReferencedSymbol> references) =>
        references
            .SelectMany(r => r.Locations)
            .Where(l => !l.IsImplicit && l.Location.IsInSource)
            .GroupBy(l => (l.Document.Id, l.Location.SourceSpan))
            .Select(g => g.First());

    private static bool CanRename(IPropertySymbol property)
    {
        if (property.IsStatic || property.IsOverride || property.IsAbstract || property.IsIndexer ||
            property.SetMethod is null || property.Type.SpecialType != SpecialType.System_String ||
            !property.ExplicitInterfaceImplementations.IsEmpty ||
            property.ContainingType is not { TypeKind: TypeKind.Class, IsGenericType: false } type || type.ContainingType is { IsGenericType: true })
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(property.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), property))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the column can hold a hash: no <c>[MaxLength]</c> or <c>[StringLength]</c> under 84 and no
    /// <c>[Column(TypeName = "varchar(50)")]</c>; and whether it already names its column (<paramref name="named"/>), so
    /// no second <c>[Column]</c> is added. A <c>[Column]</c> without a name is left to the developer.
    /// </summary>
    private static bool ColumnFits(IPropertySymbol property, out bool named)
    {
        named = false;
        foreach (var attribute in property.GetAttributes())
        {
            switch (attribute.AttributeClass?.Name)
            {
                case "MaxLengthAttribute" or "StringLengthAttribute" when
                    attribute.ConstructorArguments.Length >= 1 && attribute.ConstructorArguments[0].Value is int length && length < HashLength:
                    return false;
                case "ColumnAttribute":
                    if (attribute.ConstructorArguments.Length == 0)
                    {
                        return false;
                    }

                    named = true;
                    foreach (var argument in attribute.NamedArguments)
                    {
                        if (argument.Key == "TypeName" && argument.Value.Value is string typeName && IsShort(typeName))
                        {
                            return false;
                        }
                    }

                    break;
            }
        }

        return true;
    }

    private static bool IsShort(string columnType) =>
        DeclaredLength.Match(columnType) is { Success: true } match &&
        int.TryParse(match.Groups["length"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length < HashLength;

    /// <summary>
    /// EF Core binds constructor parameters to properties by name. When every constructor takes <c>password</c>, none
    /// can be bound after the rename and the model fails; with another constructor, EF Core uses that one and sets the
    /// renamed property itself.
    /// </summary>
    private static bool HasConstructorParameterFor(IPropertySymbol property) =>
        property.ContainingType.InstanceConstructors.All(c =>
            c.Parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// <c>Password</c> becomes <c>PasswordHash</c>, <c>LoginPwd</c> <c>LoginPwdHash</c>; when the type or a base already
    /// has a member of that name, <c>HashedPassword</c>, then <c>PasswordHash2</c>, ... None is a password name to HIPAA205.
    /// </summary>
    private static string NewName(INamedTypeSymbol type, string name)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                taken.Add(member.Name);
            }
        }

        foreach (var candidate in new[] { name + "Hash", "Hashed" + name })
        {
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }

        for (var i = 2; ; i++)
        {
            var candidate = name + "Hash" + i.ToString(CultureInfo.InvariantCulture);
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// A property initializer other than <c>""</c>, <c>string.Empty</c> or <c>null</c> gives every new account the same
    /// password: a hard-coded credential to remove first (HIPAA202), not to hash.
    /// </summary>
    private static bool HasDefaultPassword(PropertyDeclarationSyntax declaration) =>
        declaration.Initializer?.Value is { } value && !IsNoPasswordSyntax(value);

    private static bool IsNoPasswordSyntax(ExpressionSyntax value)
    {
        value = Unparenthesize(value);
        if (value is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed)
        {
            value = Unparenthesize(suppressed.Operand);
        }

        return value.IsKind(SyntaxKind.NullLiteralExpression) || value.IsKind(SyntaxKind.DefaultLiteralExpression) ||
               value is LiteralExpressionSyntax { Token.ValueText.Length: 0 } literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ||
               value is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Empty", Expression: var owner } &&
               owner.ToString() is "string" or "String" or "System.String" or "global::System.String";
    }

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary>The property to change and the names the fix gives it.</summary>
    internal sealed class Plan
    {
        public Plan(ProjectId project, string propertyId, string typeId, string typeName, string oldName, string newName)
        {
            Project = project;
            PropertyId = propertyId;
            TypeId = typeId;
            TypeName = typeName;
            OldName = oldName;
            NewName = newName;
        }

        /// <summary>The project that declares the property.</summary>
        public ProjectId Project { get; }

        public string PropertyId { get; }

        public string TypeId { get; }

        public string TypeName { get; }

        public string OldName { get; }

        public string NewName { get; }

        public string Title => $"Store a PasswordHasher<{TypeName}> hash in '{TypeName}.{NewName}' and verify against it";
    }

    /// <summary>A node to replace and what replaces it.</summary>
    private sealed class Edit
    {
        public Edit(SyntaxNode node, SyntaxNode replacement, bool needsLinq = false)
        {
            Node = node;
            Replacement = replacement;
            NeedsLinq = needsLinq;
        }

        public SyntaxNode Node { get; }

        public SyntaxNode Replacement { get; }

        /// <summary>The replacement calls <c>Where</c> / <c>AsEnumerable</c> in a file without <c>using System.Linq;</c>.</summary>
        public bool NeedsLinq { get; }
    }

    /// <summary>One document's uses of the property, and the syntax the fix writes there.</summary>
    private sealed class DocumentContext
    {
        private readonly Plan _plan;
        private readonly INamedTypeSymbol? _hasher;
        private readonly INamedTypeSymbol? _result;

        private DocumentContext(Document document, SyntaxNode root, SemanticModel model, Plan plan)
        {
            Root = root;
            Model = model;
            _plan = plan;
            Generator = SyntaxGenerator.GetGenerator(document);
            var entity = DocumentationCommentId.GetFirstSymbolForDeclarationId(plan.TypeId, model.Compilation) as INamedTypeSymbol;
            var hasher = CryptoSyntax.Resolve(model.Compilation, PasswordHasherMetadataName);
            _hasher = entity is not null && hasher is not null ? hasher.Construct(entity) : null;
            _result = CryptoSyntax.Resolve(model.Compilation, VerificationResultMetadataName);
        }

        public SyntaxNode Root { get; }

        public SemanticModel Model { get; }

        public SyntaxGenerator Generator { get; }

        /// <summary>The namespaces the edits need a using for.</summary>
        public SortedSet<string> Imports { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether this document's compilation has <c>PasswordHasher&lt;TUser&gt;</c> for the entity.</summary>
        public bool CanHash => _hasher is not null && _result is not null;

        public static async Task<DocumentContext?> CreateAsync(Document document, Plan plan, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return root is null || model is null ? null : new DocumentContext(document, root, model, plan);
        }

        /// <summary>
        /// The edits for the references at <paramref name="spans"/>, or null when one of them cannot be rewritten (or
        /// two edits overlap). Reads that are neither an assignment nor a comparison need no edit.
        /// </summary>
        public List<Edit>? Edits(IPropertySymbol property, IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
        {
            var edits = new List<Edit>();
            foreach (var span in spans)
            {
                if (!Root.FullSpan.Contains(span))
                {
                    return null;
                }

                var node = Root.FindNode(span, getInnermostNodeForTie: true);
                if (!TryClassify(node, property, cancellationToken, out var edit))
                {
                    return null;
                }

                if (edit is not null)
                {
                    edits.Add(edit);
                }
            }

            for (var i = 0; i < edits.Count; i++)
            {
                for (var j = 0; j < edits.Count; j++)
                {
                    if (i != j && edits[i].Node.Span.IntersectsWith(edits[j].Node.Span))
                    {
                        return null;
                    }
                }
            }

            return edits;
        }

        /// <summary>Adds <c>[Column("Password")]</c>, unless the property names its column already.</summary>
        public void EditDeclaration(SyntaxEditor editor, PropertyDeclarationSyntax declaration, string oldName)
        {
            var property = Model.GetDeclaredSymbol(declaration);
            bool named = false;
            if (property is not null)
            {
                ColumnFits(property, out named);
            }

            if (named || CryptoSyntax.Resolve(Model.Compilation, ColumnAttributeMetadataName) is not { } column)
            {
                return;
            }

            var attribute = Generator.Attribute(
                CryptoSyntax.TypeName(Generator, column),
                new[] { Generator.AttributeArgument(Generator.LiteralExpression(oldName)) });
            editor.AddAttribute(declaration, attribute);
        }

        private bool TryClassify(SyntaxNode node, IPropertySymbol property, CancellationToken cancellationToken, out Edit? edit)
        {
            edit = null;
            if (node is not SimpleNameSyntax name)
            {
                // A cref in a documentation comment: renamed, nothing else.
                return true;
            }

            if (name.Parent is NameColonSyntax or ExpressionColonSyntax || name.Ancestors().Any(a => a is SubpatternSyntax))
            {
                return false; // { Password: "..." }
            }

            ExpressionSyntax expression = name.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Name == name => access,
                MemberBindingExpressionSyntax binding => binding,
                _ => name,
            };

            if (Model.GetOperation(expression, cancellationToken) is not IPropertyReferenceOperation reference ||
                !SymbolEqualityComparer.Default.Equals(reference.Property.OriginalDefinition, property.OriginalDefinition))
            {
                return !IsInFluentColumnTooShort(name); // nameof(...)
            }

            switch (reference.Parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                    return TryHashAssignment(reference, assignment, property, cancellationToken, out edit);
                case ICompoundAssignmentOperation or ICoalesceAssignmentOperation or ITupleOperation:
                    return false;
                case IIsPatternOperation { Pattern: var pattern }:
                    return IsNullPattern(pattern); // user.Password is null: no password, true of the hash too
                case ISwitchOperation or ISwitchExpressionOperation:
                    return false;
                case IConditionalAccessOperation access:
                    // user?.Password, user.Password?.Length: reads, unless the result is compared (user?.Password == x).
                    return !(access.WhenNotNull is IInvocationOperation { TargetMethod.Name: var called } && IsComparisonName(called) ||
                             access.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } ||
                             FlowsIntoUnknownComparison(access));
            }

            if (Comparison(reference, property) is { } comparison)
            {
                return TryVerify(reference, comparison, property, cancellationToken, out edit);
            }

            // Any other equality test the fix does not rewrite (StringComparer, object.Equals, FixedTimeEquals over its bytes).
            if (FlowsIntoUnknownComparison(reference))
            {
                return false;
            }

            return !IsInFluentColumnTooShort(name);
        }

        /// <summary><c>x.Password = value</c> and <c>{ Password = value }</c>: the value is hashed, unless it is not a password.</summary>
        private bool TryHashAssignment(IPropertyReferenceOperation reference, ISimpleAssignmentOperation assignment, IPropertySymbol property,
            CancellationToken cancellationToken, out Edit? edit)
        {
            edit = null;
            var value = Unwrap(assignment.Value);
            if (IsNoPassword(value) || IsHash(value, property) || assignment.Syntax is not AssignmentExpressionSyntax syntax)
            {
                return true;
            }

            if (!CanHash)
            {
                return false;
            }

            var user = User(reference, syntax.SpanStart, out _);
            var valueSyntax = syntax.Right;
            var flow = Model.GetTypeInfo(valueSyntax, cancellationToken).Nullability.FlowState;
            ExpressionSyntax hashed = Hash(syntax.SpanStart, user, valueSyntax.WithoutTrivia());
            if (flow == NullableFlowState.MaybeNull)
            {
                // Null stays null (no password): value is null ? null : hash.
                if (!IsSimple(valueSyntax))
                {
                    return false;
                }

                hashed = SyntaxFactory.ConditionalExpression(
                    SyntaxFactory.IsPatternExpression(
                        Parenthesized(valueSyntax.WithoutTrivia()),
                        SyntaxFactory.ConstantPattern(SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression))),
                    SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression),
                    hashed);
            }

            edit = new Edit(valueSyntax, hashed);
            return true;
        }

        /// <summary>A comparison of the property with a value, and what it replaces.</summary>
        private sealed class ComparisonShape
        {
            public ComparisonShape(SyntaxNode node, IOperation other, bool equal, bool isCompare)
            {
                Node = node;
                Other = other;
                Equal = equal;
                IsCompare = isCompare;
            }

            /// <summary>The whole comparison: <c>a == b</c>, <c>a.Equals(b)</c>, <c>string.Compare(a, b) == 0</c>.</summary>
            public SyntaxNode Node { get; }

            /// <summary>The value compared with the stored password.</summary>
            public IOperation Other { get; }

            /// <summary>True when the comparison is true for the same password.</summary>
            public bool Equal { get; }

            public bool IsCompare { get; }
        }

        /// <summary>
        /// <c>==</c> / <c>!=</c> of strings, <c>a.Equals(b)</c>, <c>string.Equals(a, b)</c>, and <c>string.Compare(a, b)
        /// == 0</c> / <c>CompareOrdinal</c>; a <c>Compare</c> used otherwise is returned with a null node (not rewritten).
        /// </summary>
        private static ComparisonShape? Comparison(IPropertyReferenceOperation reference, IPropertySymbol property)
        {
            IOperation self = reference;
            while (self.Parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
            {
                self = self.Parent;
            }

            if (self.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary &&
                binary.LeftOperand.Type?.SpecialType == SpecialType.System_String && binary.RightOperand.Type?.SpecialType == SpecialType.System_String)
            {
                var other = binary.LeftOperand == self ? binary.RightOperand : binary.LeftOperand;
                return new ComparisonShape(binary.Syntax, other, binary.OperatorKind == BinaryOperatorKind.Equals, isCompare: false);
            }

            if (self.Parent is IInvocationOperation { TargetMethod: { Name: "Equals", IsStatic: false, ContainingType.SpecialType: SpecialType.System_String } } instanceCall &&
                instanceCall.Instance == self && instanceCall.Arguments.Length >= 1)
            {
                return new ComparisonShape(instanceCall.Syntax, instanceCall.Arguments[0].Value, equal: true, isCompare: false);
            }

            if (self.Parent is IArgumentOperation { Parent: IInvocationOperation call } argument &&
                call.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String)
            {
                switch (call.TargetMethod.Name)
                {
                    case "Equals" when !call.TargetMethod.IsStatic && call.Instance is { } instance && call.Arguments[0] == argument:
                        return new ComparisonShape(call.Syntax, instance, equal: true, isCompare: false);
                    case "Equals" when call.TargetMethod.IsStatic && call.Arguments.Length >= 2 && argument.Parameter?.Ordinal is 0 or 1:
                        return new ComparisonShape(call.Syntax, call.Arguments[argument.Parameter.Ordinal == 0 ? 1 : 0].Value, equal: true, isCompare: false);
                    case "Compare" or "CompareOrdinal" when call.TargetMethod.IsStatic && call.Arguments.Length >= 2 &&
                                                             call.Arguments[0].Parameter?.Name == "strA" && call.Arguments[1].Parameter?.Name == "strB" &&
                                                             argument.Parameter?.Ordinal is 0 or 1:
                        var other = call.Arguments[argument.Parameter.Ordinal == 0 ? 1 : 0].Value;
                        IOperation result = call;
                        while (result.Parent is IParenthesizedOperation)
                        {
                            result = result.Parent;
                        }

                        if (result.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } zeroTest &&
                            Unwrap(zeroTest.LeftOperand == result ? zeroTest.RightOperand : zeroTest.LeftOperand).ConstantValue is { HasValue: true, Value: 0 })
                        {
                            return new ComparisonShape(zeroTest.Syntax, other, zeroTest.OperatorKind == BinaryOperatorKind.Equals, isCompare: true);
                        }

                        return new ComparisonShape(null!, other, equal: true, isCompare: true);
                }
            }

            return null;
        }

        private bool TryVerify(IPropertyReferenceOperation reference, ComparisonShape comparison, IPropertySymbol property, CancellationToken cancellationToken, out Edit? edit)
        {
            edit = null;
            if (comparison.Node is null)
            {
                return false; // string.Compare(a, b) < 0: no password is "less" than another
            }

            var other = Unwrap(comparison.Other);
            if (IsNoPassword(other))
            {
                return true; // user.Password == null: is there a password at all, true of the hash too
            }

            if (ReferencesProperty(other, property) || !CanHash || other.Syntax is not ExpressionSyntax provided ||
                other.Type?.SpecialType != SpecialType.System_String)
            {
                return false;
            }

            var lambda = ExpressionTreeLambda(comparison.Node, cancellationToken, out var inTree);
            if (inTree)
            {
                return lambda is not null && !comparison.IsCompare && TryRewriteQuery(lambda, reference, comparison, provided, property, cancellationToken, out edit);
            }

            var user = User(reference, comparison.Node.SpanStart, out var simple);
            var guard = NeedsNullGuard(property);
            if (guard && !simple)
            {
                return false; // the receiver would be evaluated twice
            }

            edit = new Edit(comparison.Node, Verify(comparison.Node.SpanStart, user, (ExpressionSyntax)reference.Syntax, provided, comparison.Equal, guard,
                MayBeNull(provided, cancellationToken)));
            return true;
        }

        /// <summary>
        /// <c>source.Any(u =&gt; u.Email == email &amp;&amp; u.Password == password)</c> becomes
        /// <c>source.Where(u =&gt; u.Email == email).AsEnumerable().Any(u =&gt; verify)</c>, and
        /// <c>await source.FirstOrDefaultAsync(...)</c> becomes <c>(await source.Where(...).ToListAsync()).FirstOrDefault(u =&gt; verify)</c>.
        /// </summary>
        private bool TryRewriteQuery(LambdaExpressionSyntax lambda, IPropertyReferenceOperation reference, ComparisonShape comparison, ExpressionSyntax provided,
            IPropertySymbol property, CancellationToken cancellationToken, out Edit? edit)
        {
            edit = null;
            var parameter = lambda switch
            {
                SimpleLambdaExpressionSyntax simple => simple.Parameter,
                ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
                _ => null,
            };
            if (parameter is null || lambda.ExpressionBody is not { } body ||
                reference.Instance is not IParameterReferenceOperation { Parameter: var receiver } || receiver.Name != parameter.Identifier.ValueText)
            {
                return false;
            }

            var conjuncts = new List<ExpressionSyntax>();
            Conjuncts(body, conjuncts);
            if (!conjuncts.Contains(comparison.Node) || conjuncts.Count < 2)
            {
                return false;
            }

            var others = conjuncts.Where(c => c != comparison.Node).ToList();
            bool bounded = false;
            foreach (var condition in others)
            {
                if (Model.GetOperation(condition, cancellationToken) is not { } operation || ReferencesProperty(operation, property))
                {
                    return false;
                }

                bounded |= IsEqualityOnOtherProperty(Unwrap(operation), receiver, property);
            }

            // Without an equality on another column (u.Email == email) the query would load the whole table.
            if (!bounded ||
                lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax query } arguments } ||
                query.Expression is not MemberAccessExpressionSyntax access ||
                Model.GetOperation(query, cancellationToken) is not IInvocationOperation { TargetMethod: var method } ||
                method.ContainingType?.Name is not ("Queryable" or "EntityFrameworkQueryableExtensions"))
            {
                return false;
            }

            var name = access.Name.Identifier.ValueText;
            var async = name.EndsWith("Async", StringComparison.Ordinal);
            var baseName = async ? name.Substring(0, name.Length - "Async".Length) : name;
            if (!QueryMethods.Contains(baseName) || arguments.Arguments[0].Expression != lambda ||
                arguments.Arguments.Count > (async ? 2 : 1))
            {
                return false;
            }

            var filter = others.Select(o => o.WithoutTrivia()).Aggregate((a, b) =>
                SyntaxFactory.BinaryExpression(SyntaxKind.LogicalAndExpression, a, b));
            var filterLambda = SyntaxFactory.SimpleLambdaExpression(parameter.WithoutTrivia(), filter);
            var where = Call(access.Expression.WithoutTrivia(), "Where", SyntaxFactory.Argument(filterLambda));
            var needsLinq = Model.GetSpeculativeSymbolInfo(query.SpanStart, where, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol;
            var user = SyntaxFactory.IdentifierName(parameter.Identifier.ValueText);
            var hash = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, user, SyntaxFactory.IdentifierName(property.Name));
            var verify = SyntaxFactory.SimpleLambdaExpression(
                parameter.WithoutTrivia(),
                Verify(query.SpanStart, user, hash, provided.WithoutTrivia(), comparison.Equal, NeedsNullGuard(property), MayBeNull(provided, cancellationToken)));

            if (!async)
            {
                edit = new Edit(query, Call(Call(where, "AsEnumerable"), baseName, SyntaxFactory.Argument(verify)), needsLinq);
                return true;
            }

            // await source.XAsync(predicate[, token])[.ConfigureAwait(b)]
            SyntaxNode awaited = query;
            ExpressionSyntax loaded = Call(where, "ToListAsync", arguments.Arguments.Skip(1).Select(a => a.WithoutTrivia()).ToArray());
            if (query.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure &&
                configure.Parent is InvocationExpressionSyntax configured)
            {
                awaited = configured;
                loaded = Call(loaded, "ConfigureAwait", configured.ArgumentList.Arguments.Select(a => a.WithoutTrivia()).ToArray());
            }

            if (awaited.Parent is not AwaitExpressionSyntax awaitExpression || !method.ContainingType.GetMembers("ToListAsync").Any())
            {
                return false;
            }

            var list = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.AwaitExpression(loaded));
            edit = new Edit(awaitExpression, Call(list, baseName, SyntaxFactory.Argument(verify)), needsLinq);
            return true;
        }

        private static void Conjuncts(ExpressionSyntax expression, List<ExpressionSyntax> conjuncts)
        {
            var inner = Unparenthesize(expression);
            if (inner is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and)
            {
                Conjuncts(and.Left, conjuncts);
                Conjuncts(and.Right, conjuncts);
            }
            else
            {
                conjuncts.Add(inner);
            }
        }

        /// <summary><c>u.Email == email</c>: an equality on another property of the lambda's parameter.</summary>
        private static bool IsEqualityOnOtherProperty(IOperation operation, IParameterSymbol receiver, IPropertySymbol property)
        {
            if (operation is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equality)
            {
                return false;
            }

            foreach (var side in new[] { Unwrap(equality.LeftOperand), Unwrap(equality.RightOperand) })
            {
                if (side is IPropertyReferenceOperation { Instance: IParameterReferenceOperation instance } other &&
                    SymbolEqualityComparer.Default.Equals(instance.Parameter, receiver) &&
                    !SymbolEqualityComparer.Default.Equals(other.Property.OriginalDefinition, property.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The innermost lambda around <paramref name="node"/> when that lambda, or one around it, is an expression
        /// tree (<paramref name="inTree"/>); the lambda is null when the tree is an outer one (the comparison is nested).
        /// </summary>
        private LambdaExpressionSyntax? ExpressionTreeLambda(SyntaxNode node, CancellationToken cancellationToken, out bool inTree)
        {
            inTree = false;
            LambdaExpressionSyntax? innermost = null;
            foreach (var lambda in node.Ancestors().OfType<LambdaExpressionSyntax>())
            {
                innermost ??= lambda;
                if (IsExpressionTree(lambda, cancellationToken))
                {
                    inTree = true;
                    return lambda == innermost ? lambda : null;
                }
            }

            return null;
        }

        private bool IsExpressionTree(LambdaExpressionSyntax lambda, CancellationToken cancellationToken) =>
            Model.GetTypeInfo(lambda, cancellationToken).ConvertedType is INamedTypeSymbol
            {
                Name: "Expression", ContainingNamespace: { Name: "Expressions", ContainingNamespace: { Name: "Linq", ContainingNamespace.Name: "System" } },
            };

        /// <summary>
        /// The <c>user</c> argument of the hasher: the receiver when it is a plain name (<paramref name="simple"/>),
        /// <c>this</c> inside the entity, otherwise <c>null!</c> (<see cref="NoUser"/>).
        /// </summary>
        private ExpressionSyntax User(IPropertyReferenceOperation reference, int position, out bool simple)
        {
            simple = true;
            switch (reference.Instance)
            {
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return SyntaxFactory.ThisExpression();
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                    // An object initializer: there is no instance yet; PasswordHasher<T> does not read the user.
                    return NoUser(position);
                case { Syntax: ExpressionSyntax receiver } when IsSimple(receiver):
                    return receiver.WithoutTrivia();
                default:
                    simple = false;
                    return NoUser(position);
            }
        }

        /// <summary><c>null!</c>, or <c>null</c> where nullable annotations are off.</summary>
        private ExpressionSyntax NoUser(int position)
        {
            var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression);
            return (Model.GetNullableContext(position) & NullableContext.AnnotationsEnabled) != 0
                ? SyntaxFactory.PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, literal)
                : literal;
        }

        /// <summary><c>new PasswordHasher&lt;T&gt;().HashPassword(user, value)</c>.</summary>
        private ExpressionSyntax Hash(int position, ExpressionSyntax user, ExpressionSyntax value) =>
            Call(NewHasher(position), "HashPassword", SyntaxFactory.Argument(user), SyntaxFactory.Argument(value));

        /// <summary>
        /// <c>new PasswordHasher&lt;T&gt;().VerifyHashedPassword(user, hash, provided) != PasswordVerificationResult.Failed</c>
        /// (<c>== Failed</c> for a "not equal" test), with <c>hash != null &amp;&amp;</c> in front when the stored value may
        /// be null (the hasher throws on null) and <c>provided ?? ""</c> when the submitted one may.
        /// </summary>
        private ExpressionSyntax Verify(int position, ExpressionSyntax user, ExpressionSyntax hash, ExpressionSyntax provided, bool equal, bool guardStored, bool coalesceProvided)
        {
            if (coalesceProvided)
            {
                provided = SyntaxFactory.BinaryExpression(SyntaxKind.CoalesceExpression, Parenthesized(provided),
                    SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(string.Empty)));
            }

            var verify = Call(NewHasher(position), "VerifyHashedPassword",
                SyntaxFactory.Argument(user), SyntaxFactory.Argument(hash.WithoutTrivia()), SyntaxFactory.Argument(provided.WithoutTrivia()));
            var failed = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeAt(_result!, position), SyntaxFactory.IdentifierName("Failed"));
            ExpressionSyntax result = SyntaxFactory.BinaryExpression(equal ? SyntaxKind.NotEqualsExpression : SyntaxKind.EqualsExpression, verify, failed);
            if (guardStored)
            {
                var isNull = SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression);
                result = equal
                    ? SyntaxFactory.BinaryExpression(SyntaxKind.LogicalAndExpression,
                        SyntaxFactory.BinaryExpression(SyntaxKind.NotEqualsExpression, hash.WithoutTrivia(), isNull), result)
                    : SyntaxFactory.BinaryExpression(SyntaxKind.LogicalOrExpression,
                        SyntaxFactory.BinaryExpression(SyntaxKind.EqualsExpression, hash.WithoutTrivia(), isNull), result);
            }

            return Parenthesized(result);
        }

        private ExpressionSyntax NewHasher(int position) =>
            SyntaxFactory.ObjectCreationExpression(TypeAt(_hasher!, position)).WithArgumentList(SyntaxFactory.ArgumentList());

        /// <summary>
        /// The Identity type by its short name (<c>PasswordHasher&lt;PortalUser&gt;</c>), with
        /// <c>using Microsoft.AspNetCore.Identity;</c> added to the file when it is not in scope
        /// (<see cref="Imports"/>); fully qualified and left to the simplifier when another type of that name is in
        /// scope. Written short here because the simplifier does not shorten names in field and property initializers.
        /// </summary>
        private TypeSyntax TypeAt(INamedTypeSymbol type, int position)
        {
            var visible = Model.LookupNamespacesAndTypes(position, name: type.Name)
                .Where(t => t is not INamedTypeSymbol named || named.Arity == type.Arity)
                .ToList();
            if (visible.Count > 1 || visible.Count == 1 && !SymbolEqualityComparer.Default.Equals(visible[0], type.OriginalDefinition))
            {
                return CryptoSyntax.TypeName(Generator, type);
            }

            if (visible.Count == 0)
            {
                Imports.Add(type.ContainingNamespace.ToDisplayString());
            }

            var name = type.Arity == 0
                ? type.Name
                : type.Name + "<" + string.Join(", ", type.TypeArguments.Select(t => t.ToMinimalDisplayString(Model, position))) + ">";
            return SyntaxFactory.ParseTypeName(name);
        }

        private static InvocationExpressionSyntax Call(ExpressionSyntax receiver, string method, params ArgumentSyntax[] arguments) =>
            SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(method)),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments)));

        /// <summary>Parentheses the simplifier removes where they are not needed.</summary>
        private static ExpressionSyntax Parenthesized(ExpressionSyntax expression) =>
            SyntaxFactory.ParenthesizedExpression(expression).WithAdditionalAnnotations(Simplifier.Annotation);

        /// <summary>The stored value may be null: a nullable <c>string?</c>, or a <c>string</c> where nullable annotations are off.</summary>
        private static bool NeedsNullGuard(IPropertySymbol property) => property.NullableAnnotation != NullableAnnotation.NotAnnotated;

        private bool MayBeNull(ExpressionSyntax expression, CancellationToken cancellationToken) =>
            Model.GetTypeInfo(expression, cancellationToken).Nullability.FlowState != NullableFlowState.NotNull &&
            Model.GetConstantValue(expression, cancellationToken) is not { HasValue: true, Value: string };

        /// <summary>A name or a chain of names (<c>user</c>, <c>this.user</c>, <c>request.Account</c>): evaluating it twice is harmless.</summary>
        private static bool IsSimple(ExpressionSyntax expression) => Unparenthesize(expression) switch
        {
            IdentifierNameSyntax or ThisExpressionSyntax => true,
            MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access => IsSimple(access.Expression),
            _ => false,
        };

        /// <summary><c>null</c>, <c>default</c>, <c>""</c>, <c>string.Empty</c>: no password.</summary>
        private static bool IsNoPassword(IOperation value) =>
            value.ConstantValue is { HasValue: true, Value: null or "" } ||
            value is IDefaultValueOperation ||
            value is IFieldReferenceOperation { Field: { IsStatic: true, Name: "Empty", ContainingType.SpecialType: SpecialType.System_String } };

        /// <summary>A value that is a hash already: a <c>HashPassword</c> call, a member or local named as a hash, the property itself.</summary>
        private static bool IsHash(IOperation value, IPropertySymbol property)
        {
            if (value is IInvocationOperation { TargetMethod.Name: "HashPassword" } ||
                value is IPropertyReferenceOperation { Property: var other } && SymbolEqualityComparer.Default.Equals(other.OriginalDefinition, property.OriginalDefinition))
            {
                return true;
            }

            var name = value switch
            {
                IPropertyReferenceOperation reference => reference.Property.Name,
                IFieldReferenceOperation field => field.Field.Name,
                ILocalReferenceOperation local => local.Local.Name,
                IParameterReferenceOperation parameter => parameter.Parameter.Name,
                _ => null,
            };
            return name is not null && name.IndexOf("hash", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static bool ReferencesProperty(IOperation operation, IPropertySymbol property) =>
            operation.DescendantsAndSelf().Any(o => o is IPropertyReferenceOperation reference &&
                SymbolEqualityComparer.Default.Equals(reference.Property.OriginalDefinition, property.OriginalDefinition));

        /// <summary>
        /// The value reaches an <c>Equals</c> or <c>Compare</c> the fix does not rewrite, directly or through
        /// <c>Encoding.GetBytes</c> / <c>AsSpan</c> / <c>ToCharArray</c>.
        /// </summary>
        private static bool FlowsIntoUnknownComparison(IOperation reference)
        {
            var current = reference;
            for (int depth = 0; depth < 6 && current.Parent is { } parent; depth++, current = parent)
            {
                switch (parent)
                {
                    case IConversionOperation or IParenthesizedOperation or IArgumentOperation:
                        continue;
                    case IInvocationOperation invocation:
                        var name = invocation.TargetMethod.Name;
                        if (IsComparisonName(name))
                        {
                            return true;
                        }

                        if (name is "GetBytes" or "AsSpan" or "AsMemory" or "ToCharArray" or "ToString" or "Trim")
                        {
                            continue;
                        }

                        return false;
                    default:
                        return false;
                }
            }

            return false;
        }

        private static bool IsComparisonName(string name) =>
            name.IndexOf("Equal", StringComparison.Ordinal) >= 0 || name.IndexOf("Compare", StringComparison.Ordinal) >= 0;

        private static bool IsNullPattern(IPatternOperation pattern) => pattern switch
        {
            IConstantPatternOperation constant => constant.Value.ConstantValue is { HasValue: true, Value: null },
            INegatedPatternOperation negated => IsNullPattern(negated.Pattern),
            _ => false,
        };

        /// <summary>
        /// <c>modelBuilder.Entity&lt;T&gt;().Property(u =&gt; u.Password).HasMaxLength(50)</c> (or <c>HasColumnType("varchar(50)")</c>):
        /// the column cannot hold a hash.
        /// </summary>
        private static bool IsInFluentColumnTooShort(SimpleNameSyntax name)
        {
            if (name.FirstAncestorOrSelf<LambdaExpressionSyntax>() is not { Parent: ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax property } } } ||
                property.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Property" })
            {
                return false;
            }

            SyntaxNode current = property;
            while (current.Parent is MemberAccessExpressionSyntax access && access.Expression == current && access.Parent is InvocationExpressionSyntax call)
            {
                var argument = call.ArgumentList.Arguments.FirstOrDefault()?.Expression;
                switch (access.Name.Identifier.ValueText)
                {
                    case "HasMaxLength" when argument is LiteralExpressionSyntax { Token.Value: int length } && length < HashLength:
                        return true;
                    case "HasColumnType" when argument is LiteralExpressionSyntax { Token.Value: string type } && IsShort(type):
                        return true;
                }

                current = call;
            }

            return false;
        }
    }
}
