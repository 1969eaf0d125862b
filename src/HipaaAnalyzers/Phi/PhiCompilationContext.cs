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

    /// <summary>Logging APIs present in this compilation, resolved on first use.</summary>
    /// <remarks>
    /// Not when the compilation starts: the first lookup by metadata name merges the declarations of every file of the
    /// compilation. Binding the file being analyzed does that anyway; done earlier, each keystroke in the IDE would
    /// pay for it before binding and charge it to the rule that asked first.
    /// </remarks>
    public LogSinks LogSinks => LazyInitializer.EnsureInitialized(ref _logSinks, () => new LogSinks(Compilation))!;

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
