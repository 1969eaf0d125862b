using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HipaaAnalyzers.Corpus;
using HipaaAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.Tests.Fuzzing;

/// <summary>Valid code to mutate: one project's files, one of which a variant changes.</summary>
internal sealed record SeedUnit(string Name, IReadOnlyList<(string Path, string Text)> Files, OutputKind Kind)
{
    /// <summary>Single-file seeds share one workspace project; multi-file seeds get one each.</summary>
    public bool IsSingleFile => Files.Count == 1;
}

/// <summary>
/// Where the fuzzer's seeds come from: the sample apps under samples/, the code of the rule tests (their markup
/// removed), and a generated corpus with many leaks.
/// </summary>
internal static class FuzzSeeds
{
    private static readonly Regex Markup = new(@"\{\|[^:|{}]*:|\|\}|\[\||\|\]", RegexOptions.CultureInvariant);

    public static IReadOnlyList<SeedUnit> Samples() => new[] { Sample("ClinicApi"), Sample("ClinicApi.Fixed") };

    public static IReadOnlyList<SeedUnit> RuleTests()
    {
        var folder = Path.Combine(SampleApp.RepositoryRoot, "tests", "HipaaAnalyzers.Tests", "Rules");
        var sources = RuleTestSources(Directory.EnumerateFiles(folder, "*.cs").OrderBy(p => p, StringComparer.Ordinal).ToList());
        return sources.Select((text, i) => new SeedUnit($"rule test source #{i}", new[] { ("/fuzz/Test.cs", text) }, OutputKind.DynamicallyLinkedLibrary))
            .ToList();
    }

    /// <summary>A small slice of a generated app in which about half the sinks leak, so the fixes have work.</summary>
    public static SeedUnit Corpus()
    {
        var corpus = CorpusGenerator.Generate(1_200, seed: 20240611, leakRate: 0.5);
        return new SeedUnit(
            "generated corpus",
            corpus.Files.Select(f => ("/fuzz/corpus/" + f.Path, f.Text)).ToList(),
            OutputKind.ConsoleApplication);
    }

    private static SeedUnit Sample(string name)
    {
        var folder = Path.Combine(SampleApp.RepositoryRoot, "samples", name);
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => ("/fuzz/" + name + "/" + Path.GetRelativePath(folder, p).Replace('\\', '/'), File.ReadAllText(p)))
            .ToList();
        return new SeedUnit("samples/" + name, files, OutputKind.ConsoleApplication);
    }

    /// <summary>
    /// The C# that the rule tests compile: every string argument of a call, with constants (the shared models) and
    /// concatenations evaluated, that reads like a compilation unit. Markup such as {|HIPAA001:...|} is removed.
    /// </summary>
    private static IReadOnlyList<string> RuleTestSources(IReadOnlyList<string> files)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).ToList();
        var constants = new Dictionary<string, ExpressionSyntax>(StringComparer.Ordinal);
        foreach (var field in trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<FieldDeclarationSyntax>()))
        {
            if (field.Modifiers.Any(SyntaxKind.ConstKeyword))
            {
                foreach (var variable in field.Declaration.Variables)
                {
                    if (variable.Initializer is { } initializer)
                    {
                        constants[variable.Identifier.ValueText] = initializer.Value;
                    }
                }
            }
        }

        var sources = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<ArgumentSyntax>()))
        {
            var text = Evaluate(argument.Expression, constants, depth: 0);
            if (text is null || text.Length < 40 || !(text.Contains("class ", StringComparison.Ordinal) || text.Contains("record ", StringComparison.Ordinal)))
            {
                continue;
            }

            text = Markup.Replace(text, string.Empty);
            if (seen.Add(text))
            {
                sources.Add(text);
            }
        }

        return sources;
    }

    private static string? Evaluate(ExpressionSyntax expression, IReadOnlyDictionary<string, ExpressionSyntax> constants, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                return literal.Token.ValueText;
            case ParenthesizedExpressionSyntax parenthesized:
                return Evaluate(parenthesized.Expression, constants, depth + 1);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                var left = Evaluate(binary.Left, constants, depth + 1);
                var right = Evaluate(binary.Right, constants, depth + 1);
                return left is null || right is null ? null : left + right;
            case IdentifierNameSyntax name when constants.TryGetValue(name.Identifier.ValueText, out var value):
                return Evaluate(value, constants, depth + 1);
            case MemberAccessExpressionSyntax member when constants.TryGetValue(member.Name.Identifier.ValueText, out var value):
                return Evaluate(value, constants, depth + 1);
            default:
                return null;
        }
    }
}
