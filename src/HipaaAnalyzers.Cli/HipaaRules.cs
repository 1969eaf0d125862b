using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.CodeFixes.Rules;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Cli;

/// <summary>Every HipaaAnalyzers analyzer and code fix, found in their assemblies, and the rules they report.</summary>
public sealed class HipaaRules
{
    private HipaaRules(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> fixers)
    {
        Analyzers = analyzers;
        Fixers = fixers;
        Rules = analyzers
            .SelectMany(a => a.SupportedDiagnostics)
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new RuleInfo(
                d.Id,
                d.Title.ToString(),
                d.Description.ToString(),
                d.Category,
                ToLevel(d.DefaultSeverity),
                string.IsNullOrEmpty(d.HelpLinkUri) ? Descriptors.HelpLinkUri(d.Id) : d.HelpLinkUri,
                CodeFixAvailabilities.Of(d.Id, fixers)))
            .ToImmutableArray();
        RuleIds = Rules.Select(r => r.Id).ToImmutableHashSet(StringComparer.Ordinal);
    }

    public static HipaaRules Instance { get; } = Load();

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public ImmutableArray<CodeFixProvider> Fixers { get; }

    public ImmutableArray<RuleInfo> Rules { get; }

    public ImmutableHashSet<string> RuleIds { get; }

    public static FindingLevel ToLevel(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => FindingLevel.Error,
        DiagnosticSeverity.Warning => FindingLevel.Warning,
        DiagnosticSeverity.Info => FindingLevel.Note,
        _ => FindingLevel.None,
    };

    /// <summary>"Do not write PHI to logs" gives "DoNotWritePhiToLogs", the rule's SARIF name.</summary>
    public static string PascalName(string title)
    {
        var name = new StringBuilder();
        foreach (var word in title.Split(new[] { ' ', '-', ',', '.', '\'', '(', ')' }, StringSplitOptions.RemoveEmptyEntries))
        {
            name.Append(char.ToUpperInvariant(word[0]));
            name.Append(word.Length > 1 && word.All(char.IsUpper) ? word.Substring(1).ToLowerInvariant() : word.Substring(1));
        }

        return name.ToString();
    }

    private static HipaaRules Load()
    {
        var analyzers = Create<DiagnosticAnalyzer>(typeof(Descriptors).Assembly, t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null);
        var fixers = Create<CodeFixProvider>(typeof(HIPAA001PhiInLogFixer).Assembly, t => t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null);
        return new HipaaRules(analyzers, fixers);
    }

    private static ImmutableArray<T> Create<T>(Assembly assembly, Func<Type, bool> exported)
        where T : class
    {
        var created = new List<T>();
        foreach (var type in assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (!type.IsAbstract && typeof(T).IsAssignableFrom(type) && exported(type) && type.GetConstructor(Type.EmptyTypes) is not null)
            {
                created.Add((T)Activator.CreateInstance(type)!);
            }
        }

        return created.ToImmutableArray();
    }
}
