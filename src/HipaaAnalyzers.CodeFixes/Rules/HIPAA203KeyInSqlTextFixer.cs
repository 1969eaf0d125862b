using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.CodeFixes.Rules;

/// <summary>
/// HIPAA203: binds the key as a command parameter ("HIPAA203.UseParameter"): the key in the SQL becomes <c>@key</c>
/// and <c>cmd.Parameters.AddWithValue("key", key)</c> follows the statement that creates the command or sets its text.
/// A literal key is read from configuration or the environment (<c>Database:EncryptionKey</c>), since the fix cannot
/// know where it should come from. Offered for ADO.NET commands whose parameter collection has <c>AddWithValue</c>
/// (SqlClient, Npgsql, MySqlConnector, Microsoft.Data.Sqlite) when the key is one literal or one value written into the
/// SQL where the command is made; Dapper and EF Core calls are left to the developer (see the rule page).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HIPAA203KeyInSqlTextFixer)), Shared]
[PartialCodeFix]
public sealed class HIPAA203KeyInSqlTextFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.KeyInSqlText + ".UseParameter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.KeyInSqlText);

    public override FixAllProvider GetFixAllProvider() => HeldSecrets.FixAll(RewriteAsync, ReadSetting);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!CanFix(diagnostic))
            {
                continue;
            }

            var document = context.Document;
            var name = diagnostic.Properties[SecretFixData.KeyInSql.ParameterProperty];
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Pass the key as the command parameter @" + name,
                    ct => HeldSecrets.FixAsync(document.Project.Solution, new[] { (document.Id, ImmutableArray.Create(diagnostic)) }, RewriteAsync, ReadSetting, ct),
                    EquivalenceKey),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static bool CanFix(Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(SecretFixData.KeyInSql.CommandProperty) &&
        diagnostic.Properties.ContainsKey(SecretFixData.KeyInSql.ParameterProperty) &&
        diagnostic.AdditionalLocations.Count > SecretFixData.KeyInSql.StatementLocation;

    private static async Task<(Document, IReadOnlyList<HeldSecrets.Replacement>)> RewriteAsync(
        Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var replaced = new List<HeldSecrets.Replacement>();
        if (root is null || model is null)
        {
            return (document, replaced);
        }

        var replacements = new List<TextChange>();
        var insertions = new Dictionary<int, StringBuilder>();
        var added = new HashSet<string>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (!CanFix(diagnostic))
            {
                continue;
            }

            var keySpan = diagnostic.AdditionalLocations[SecretFixData.KeyInSql.KeyLocation].SourceSpan;
            var statementSpan = diagnostic.AdditionalLocations[SecretFixData.KeyInSql.StatementLocation].SourceSpan;
            if (replacements.Any(r => r.Span.OverlapsWith(keySpan) || r.Span == keySpan) ||
                root.FindNode(statementSpan) is not StatementSyntax statement)
            {
                continue;
            }

            var name = diagnostic.Properties[SecretFixData.KeyInSql.ParameterProperty]!;
            var command = diagnostic.Properties[SecretFixData.KeyInSql.CommandProperty]!;
            // The value written into the SQL becomes the parameter's value, unless the code fixes it (a constant, a
            // readonly field with a literal): then the setting is read, and the declaration that held it goes.
            var key = diagnostic.Properties.GetValueOrDefault(ConfigurationKeys.Property) ?? "Database:EncryptionKey";
            string value;
            if (diagnostic.AdditionalLocations.Count > SecretFixData.KeyInSql.ValueLocation &&
                root.FindNode(diagnostic.AdditionalLocations[SecretFixData.KeyInSql.ValueLocation].SourceSpan, getInnermostNodeForTie: true) is { } valueNode &&
                !IsHardCoded(model, valueNode, cancellationToken))
            {
                value = text.ToString(diagnostic.AdditionalLocations[SecretFixData.KeyInSql.ValueLocation].SourceSpan);
            }
            else
            {
                value = SecretSources.Text(model, statement, SecretSources.Find(model, statement), key).ToString();
                if (diagnostic.AdditionalLocations.Count > SecretFixData.KeyInSql.ValueLocation &&
                    root.FindNode(diagnostic.AdditionalLocations[SecretFixData.KeyInSql.ValueLocation].SourceSpan, getInnermostNodeForTie: true) is { } held)
                {
                    replaced.Add(new HeldSecrets.Replacement(held, key));
                }
            }

            replacements.Add(new TextChange(keySpan, "@" + name));
            if (!added.Add(statementSpan.Start + "\u0001" + name))
            {
                continue;
            }

            var (position, indentation) = InsertionPoint(text, statement);
            if (!insertions.TryGetValue(position, out var builder))
            {
                builder = new StringBuilder();
                insertions.Add(position, builder);
            }

            builder.Append(Newline(text)).Append(indentation)
                .Append(command).Append(".Parameters.AddWithValue(\"").Append(name).Append("\", ").Append(value).Append(");");
        }

        var changes = replacements.Concat(insertions.Select(i => new TextChange(new TextSpan(i.Key, 0), i.Value.ToString())))
            .OrderBy(c => c.Span.Start)
            .ToList();
        return (changes.Count == 0 ? document : document.WithText(text.WithChanges(changes)), replaced);
    }

    private static bool IsHardCoded(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is InterpolationSyntax interpolation)
        {
            node = interpolation.Expression;
        }

        return model.GetOperation(node, cancellationToken) is { } operation && HardCodedValues.Find(operation) is not null;
    }

    /// <summary>A constant or field that held the key and is still read elsewhere reads the setting as text.</summary>
    private static ExpressionSyntax? ReadSetting(Document document, SemanticModel model, SyntaxNode node, ITypeSymbol type, string key, string? variant) =>
        type.SpecialType == SpecialType.System_String ? SecretSources.Text(model, node, SecretSources.Find(model, node), key) : null;

    /// <summary>After the statement, at its indentation; inside the block of a <c>using (...) { }</c> statement, first.</summary>
    private static (int Position, string Indentation) InsertionPoint(SourceText text, StatementSyntax statement)
    {
        if (statement is UsingStatementSyntax { Statement: BlockSyntax block })
        {
            var inner = block.Statements.FirstOrDefault();
            var indentation = inner is not null ? Indentation(text, inner) : Indentation(text, statement) + "    ";
            return (block.OpenBraceToken.Span.End, indentation);
        }

        return (statement.Span.End, Indentation(text, statement));
    }

    private static string Indentation(SourceText text, SyntaxNode node)
    {
        var line = text.Lines.GetLineFromPosition(node.SpanStart);
        var content = line.ToString();
        int i = 0;
        while (i < content.Length && (content[i] == ' ' || content[i] == '\t'))
        {
            i++;
        }

        return content.Substring(0, i);
    }

    private static string Newline(SourceText text) =>
        text.Lines.Count > 1 && text.Lines[0].EndIncludingLineBreak - text.Lines[0].End == 2 ? "\r\n" : "\n";
}
