using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
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

    /// <summary>
    /// The options read for each file's configuration. The driver hands a file the same configuration object every time
    /// it is asked, and the rules ask for the options at every operation they judge, so a file's keys are read once, not
    /// once per operation.
    /// </summary>
    private readonly SharedCache<AnalyzerConfigOptions, PhiOptions> _byConfiguration = new(SameObject.Instance);
    private readonly System.Func<string, PhiOptions?> _lookUpOptions;
    private readonly System.Action<string, PhiOptions> _storeOptions;
    private LogSinks? _logSinks;

    private PhiCompilationContext(Compilation compilation)
    {
        Compilation = compilation;
        _lookUpOptions = key => _options.TryGetValue(key, out var cached) ? cached : null;
        _storeOptions = (key, parsed) => _options.TryAdd(key, parsed);
    }

    public Compilation Compilation { get; }

    /// <summary>The logging APIs and the team's logging wrappers of this compilation (wrappers found on first use).</summary>
    /// <remarks>
    /// The logging types are matched by name: a type lookup by metadata name on a new compilation merges the
    /// declarations of every file, and each keystroke in the IDE is a new compilation.
    /// </remarks>
    public LogSinks LogSinks => LazyInitializer.EnsureInitialized(ref _logSinks, () => new LogSinks())!;

    public static PhiCompilationContext For(Compilation compilation) =>
        Cache.GetValue(compilation, c => new PhiCompilationContext(c));

    public PhiOptions GetOptions(AnalyzerOptions options, SyntaxTree tree)
    {
        var configuration = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return _byConfiguration.TryGetValue(configuration, out var known)
            ? known
            : _byConfiguration.GetOrAdd(configuration, PhiOptions.Read(configuration, _lookUpOptions, _storeOptions));
    }

    public PhiModel GetModel(AnalyzerOptions options, SyntaxTree tree)
    {
        var phiOptions = GetOptions(options, tree);
        return _models.TryGetValue(phiOptions, out var model) ? model : _models.GetOrAdd(phiOptions, o => new PhiModel(Compilation, o));
    }

    /// <summary>Compares configurations by identity: two objects with the same keys are read twice, which is only slower.</summary>
    private sealed class SameObject : IEqualityComparer<AnalyzerConfigOptions>
    {
        public static readonly SameObject Instance = new();

        public bool Equals(AnalyzerConfigOptions? x, AnalyzerConfigOptions? y) => ReferenceEquals(x, y);

        public int GetHashCode(AnalyzerConfigOptions obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
