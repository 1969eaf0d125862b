using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Benchmarks;

// A wrapper handed to the driver directly, never loaded from an assembly; the wrapped analyzer configures itself and
// registers its own actions through the contexts below.
#pragma warning disable RS1001, RS1012, RS1025, RS1026

/// <summary>
/// Wraps an analyzer so that the garbage collections that happen while its callbacks run are counted: the driver's
/// telemetry times each callback with a stopwatch, so a collection that stops the process while a callback runs counts
/// to that callback, whichever allocation started it (the compiler binds the corpus while the analyzers run). The
/// count is exact (the collection count read before and after each callback); the process's pause total cannot be read
/// the same way, as it is updated after the process resumes. Each callback reads the count twice, which costs the
/// driver's stopwatch a little, so the runs that count telemetry are made without the wrapper.
/// </summary>
internal sealed class PauseCounter : DiagnosticAnalyzer
{
    private readonly DiagnosticAnalyzer _inner;
    private long _collections;

    public PauseCounter(DiagnosticAnalyzer inner) => _inner = inner;

    public DiagnosticAnalyzer Inner => _inner;

    /// <summary>The collections that began and ended while one of the wrapped analyzer's callbacks ran.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _inner.SupportedDiagnostics;

    public override void Initialize(AnalysisContext context) => _inner.Initialize(new Root(context, this));

    private Action<T> Wrap<T>(Action<T> action) => argument =>
    {
        var before = GC.CollectionCount(0);
        try
        {
            action(argument);
        }
        finally
        {
            Interlocked.Add(ref _collections, GC.CollectionCount(0) - before);
        }
    };

    private sealed class Root : AnalysisContext
    {
        private readonly AnalysisContext _context;
        private readonly PauseCounter _counter;

        public Root(AnalysisContext context, PauseCounter counter)
        {
            _context = context;
            _counter = counter;
        }

        public override void EnableConcurrentExecution() => _context.EnableConcurrentExecution();

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => _context.ConfigureGeneratedCodeAnalysis(analysisMode);

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) =>
            _context.RegisterCompilationStartAction(_counter.Wrap<CompilationStartAnalysisContext>(start => action(new Start(start, _counter))));

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) =>
            _context.RegisterCompilationAction(_counter.Wrap(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) =>
            _context.RegisterSemanticModelAction(_counter.Wrap(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) =>
            _context.RegisterSymbolAction(_counter.Wrap(action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            _context.RegisterSymbolStartAction(_counter.Wrap<SymbolStartAnalysisContext>(start => action(new SymbolStart(start, _counter))), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            _context.RegisterCodeBlockStartAction(_counter.Wrap(action));

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            _context.RegisterCodeBlockAction(_counter.Wrap(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) =>
            _context.RegisterSyntaxTreeAction(_counter.Wrap(action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) =>
            _context.RegisterAdditionalFileAction(_counter.Wrap(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_counter.Wrap(action), syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            _context.RegisterOperationBlockStartAction(_counter.Wrap(action));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) =>
            _context.RegisterOperationBlockAction(_counter.Wrap(action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_counter.Wrap(action), operationKinds);
    }

    private sealed class Start : CompilationStartAnalysisContext
    {
        private readonly CompilationStartAnalysisContext _context;
        private readonly PauseCounter _counter;

        public Start(CompilationStartAnalysisContext context, PauseCounter counter)
            : base(context.Compilation, context.Options, context.CancellationToken)
        {
            _context = context;
            _counter = counter;
        }

        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) =>
            _context.RegisterCompilationEndAction(_counter.Wrap(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) =>
            _context.RegisterSemanticModelAction(_counter.Wrap(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) =>
            _context.RegisterSymbolAction(_counter.Wrap(action), symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            _context.RegisterSymbolStartAction(_counter.Wrap<SymbolStartAnalysisContext>(start => action(new SymbolStart(start, _counter))), symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            _context.RegisterCodeBlockStartAction(_counter.Wrap(action));

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            _context.RegisterCodeBlockAction(_counter.Wrap(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) =>
            _context.RegisterSyntaxTreeAction(_counter.Wrap(action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) =>
            _context.RegisterAdditionalFileAction(_counter.Wrap(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_counter.Wrap(action), syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            _context.RegisterOperationBlockStartAction(_counter.Wrap(action));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) =>
            _context.RegisterOperationBlockAction(_counter.Wrap(action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_counter.Wrap(action), operationKinds);
    }

    private sealed class SymbolStart : SymbolStartAnalysisContext
    {
        private readonly SymbolStartAnalysisContext _context;
        private readonly PauseCounter _counter;

        public SymbolStart(SymbolStartAnalysisContext context, PauseCounter counter)
#pragma warning disable CS0618 // The constructor is for hosts; this context only forwards to the driver's own.
            : base(context.Symbol, context.Compilation, context.Options, context.CancellationToken)
#pragma warning restore CS0618
        {
            _context = context;
            _counter = counter;
        }

        public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action) =>
            _context.RegisterSymbolEndAction(_counter.Wrap(action));

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            _context.RegisterCodeBlockStartAction(_counter.Wrap(action));

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) =>
            _context.RegisterCodeBlockAction(_counter.Wrap(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            _context.RegisterSyntaxNodeAction(_counter.Wrap(action), syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            _context.RegisterOperationBlockStartAction(_counter.Wrap(action));

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) =>
            _context.RegisterOperationBlockAction(_counter.Wrap(action));

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            _context.RegisterOperationAction(_counter.Wrap(action), operationKinds);
    }
}
