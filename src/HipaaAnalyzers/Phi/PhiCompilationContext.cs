using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Sinks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// The PHI model and sink tables of one compilation, shared by every rule: symbols are resolved and judged once per
/// compilation, not once per rule or per node.
/// </summary>
internal sealed class PhiCompilationContext
{
    private static readonly ConditionalWeakTable<Compilation, PhiCompilationContext> Cache = new();

    private readonly ConcurrentDictionary<string, PhiOptions> _options = new(System.StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PhiOptions, PhiModel> _models = new();
    private LogSinks? _logSinks;

    private PhiCompilationContext(Compilation compilation) => Compilation = compilation;

    public Compilation Compilation { get; }

    /// <summary>The logging APIs and the team's logging wrappers of this compilation (wrappers found on first use).</summary>
    /// <remarks>
    /// The logging types are matched by name: a type lookup by metadata name on a new compilation merges the
    /// declarations of every file, and each keystroke in the IDE is a new compilation.
    /// </remarks>
    public LogSinks LogSinks => LazyInitializer.EnsureInitialized(ref _logSinks, () => new LogSinks())!;

    public static PhiCompilationContext For(Compilation compilation) =>
        Cache.GetValue(compilation, c => new PhiCompilationContext(c));

    public PhiOptions GetOptions(AnalyzerOptions options, SyntaxTree tree) =>
        PhiOptions.Read(
            options.AnalyzerConfigOptionsProvider.GetOptions(tree),
            key => _options.TryGetValue(key, out var cached) ? cached : null,
            (key, parsed) => _options.TryAdd(key, parsed));

    public PhiModel GetModel(AnalyzerOptions options, SyntaxTree tree) =>
        _models.GetOrAdd(GetOptions(options, tree), o => new PhiModel(Compilation, o));
}
