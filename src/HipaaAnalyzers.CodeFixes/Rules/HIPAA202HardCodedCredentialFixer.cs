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
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA202: reads the credential from configuration or the environment ("HIPAA202.ReadFromConfiguration"). A
/// connection string becomes <c>configuration.GetConnectionString("Clinic")</c> (or its environment variable
/// <c>ConnectionStrings__Clinic</c>); a password the setting named after the member; a header value keeps its scheme
/// (<c>"Bearer " + setting</c>) and its encoding. A private constant becomes <c>static readonly</c> and a constant local
/// a plain local, since a setting is not a compile-time constant; no fix is offered where a constant is required.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA202HardCodedCredentialFixer)), Shared]
public sealed class HIPAA202HardCodedCredentialFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.HardCodedCredential + ".ReadFromConfiguration";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.HardCodedCredential);

    public override FixAllProvider GetFixAllProvider() => HeldSecrets.FixAll(RewriteAsync, ReadSetting);

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
            if (Plan(root, diagnostic) is not { } plan)
            {
                continue;
            }

            var source = SecretSources.Find(model, plan.Value);
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Read it from " + source.Describe(plan.Key),
                    ct => HeldSecrets.FixAsync(document.Project.Solution, new[] { (document.Id, ImmutableArray.Create(diagnostic)) }, RewriteAsync, ReadSetting, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<(Document, IReadOnlyList<HeldSecrets.Replacement>)> RewriteAsync(
        Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var replaced = new HashSet<SyntaxNode>();
        var reads = new List<HeldSecrets.Replacement>();
        var constants = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Plan(editor.OriginalRoot, diagnostic) is not { } plan || !replaced.Add(plan.Value))
            {
                continue;
            }

            var source = SecretSources.Find(model, plan.Value);
            ExpressionSyntax replacement;
            if (plan.Scheme is { } scheme)
            {
                // "Bearer eyJ..." -> "Bearer " + (setting)
                replacement = SyntaxFactory.BinaryExpression(
                    SyntaxKind.AddExpression,
                    SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(scheme + " ")),
                    SecretSources.ParenthesizedText(model, plan.Value, source, plan.Key));
            }
            else
            {
                replacement = SecretSources.Text(model, plan.Value, source, plan.Key);
            }

            editor.ReplaceNode(plan.Value, replacement.WithTriviaFrom(plan.Value));
            reads.Add(new HeldSecrets.Replacement(plan.Value, plan.Key));
            if (plan.Constant is { } constant && constants.Add(constant))
            {
                editor.ReplaceNode(constant, (current, _) => HeldSecrets.WithoutConst(current));
            }
        }

        return (editor.GetChangedDocument(), reads);
    }

    /// <summary>A constant or field that held the credential and is still read elsewhere reads the setting as text.</summary>
    private static ExpressionSyntax? ReadSetting(Document document, SemanticModel model, SyntaxNode node, ITypeSymbol type, string key, string? variant) =>
        type.SpecialType == SpecialType.System_String ? SecretSources.Text(model, node, SecretSources.Find(model, node), key) : null;

    private sealed class FixPlan
    {
        public FixPlan(ExpressionSyntax value, string key, string? scheme, SyntaxNode? constant)
        {
            Value = value;
            Key = key;
            Scheme = scheme;
            Constant = constant;
        }

        public ExpressionSyntax Value { get; }
        public string Key { get; }
        public string? Scheme { get; }
        public SyntaxNode? Constant { get; }
    }

    private static FixPlan? Plan(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.Properties.GetValueOrDefault(ConfigurationKeys.Property) is not { } key ||
            root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node)
        {
            return null;
        }

        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is not ExpressionSyntax value || HeldSecrets.RequiresConstant(value))
        {
            return null;
        }

        string? scheme = null;
        switch (diagnostic.Properties.GetValueOrDefault(SecretFixData.HardCodedCredential.KindProperty))
        {
            case SecretFixData.HardCodedCredential.KindAuthorization:
                if (value is not LiteralExpressionSyntax literal)
                {
                    return null;
                }

                scheme = literal.Token.ValueText.Trim().Split(' ')[0];
                break;
            case SecretFixData.HardCodedCredential.KindAuthorizationParameter:
                // Convert.ToBase64String(Encoding.ASCII.GetBytes("user:password")): replace the "user:password".
                value = EncodedText(value) ?? value;
                break;
        }

        SyntaxNode? constant = null;
        if (value.FirstAncestorOrSelf<VariableDeclarationSyntax>() is { } declaration)
        {
            switch (declaration.Parent)
            {
                case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword):
                    if (!IsPrivate(field) || UsedAsConstant(field, declaration))
                    {
                        return null;
                    }

                    constant = field;
                    break;
                case LocalDeclarationStatementSyntax local when local.IsConst:
                    constant = local;
                    break;
            }
        }

        return new FixPlan(value, key, scheme, constant);
    }

    private static ExpressionSyntax? EncodedText(ExpressionSyntax value)
    {
        var current = value;
        for (int i = 0; i < 3; i++)
        {
            if (current is InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToBase64String" or "GetBytes" },
                    ArgumentList.Arguments.Count: 1,
                } invocation)
            {
                current = invocation.ArgumentList.Arguments[0].Expression;
                continue;
            }

            break;
        }

        return ReferenceEquals(current, value) ? null : current;
    }

    private static bool IsPrivate(FieldDeclarationSyntax field) =>
        !field.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword));

    /// <summary>Whether the type uses one of the constants where only a constant will do.</summary>
    private static bool UsedAsConstant(FieldDeclarationSyntax field, VariableDeclarationSyntax declaration)
    {
        if (field.Parent is not TypeDeclarationSyntax type)
        {
            return true;
        }

        var names = new HashSet<string>(declaration.Variables.Select(v => v.Identifier.ValueText));
        foreach (var identifier in type.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (!names.Contains(identifier.Identifier.ValueText) || field.Span.Contains(identifier.Span))
            {
                continue;
            }

            if (HeldSecrets.RequiresConstant(identifier) ||
                identifier.Ancestors().OfType<FieldDeclarationSyntax>().Any(f => f.Modifiers.Any(SyntaxKind.ConstKeyword)) ||
                identifier.Ancestors().OfType<LocalDeclarationStatementSyntax>().Any(l => l.IsConst))
            {
                return true;
            }
        }

        return false;
    }
}
