using System;
using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>One operation handed to a rule, with what the rule needs to judge it and report.</summary>
internal readonly struct OperationSite
{
    private readonly Action<Diagnostic> _report;

    public OperationSite(IOperation operation, ISymbol containingSymbol, AnalyzerOptions options, Action<Diagnostic> report)
    {
        Operation = operation;
        ContainingSymbol = containingSymbol;
        Options = options;
        _report = report;
    }

    public IOperation Operation { get; }

    /// <summary>The member whose body holds the operation.</summary>
    public ISymbol ContainingSymbol { get; }

    public AnalyzerOptions Options { get; }

    public void ReportDiagnostic(Diagnostic diagnostic) => _report(diagnostic);
}

/// <summary>
/// Operation actions judged at the end of the class or struct that holds the operation. Tracing a value reads the
/// bodies of the methods it calls, and most of those are members of the same type (<c>Describe(item)</c> beside the
/// log call that writes it). At the end of the type the driver has bound every member of it and cached the trees in the
/// semantic model it shares with the analyzers, so they are read, not bound ahead of the driver. Operations outside a
/// member of such a type (top-level statements, interfaces, attributes of a type) are judged at once.
/// </summary>
internal static class TypeEndOperations
{
    /// <summary>
    /// Registers <paramref name="judge"/> for the operations of <paramref name="kinds"/> that <paramref name="select"/>
    /// (a cheap test, run on every such operation) keeps. Each selected operation is judged exactly once.
    /// </summary>
    public static void Register(
        CompilationStartAnalysisContext start, Func<IOperation, bool> select, Action<OperationSite> judge, params OperationKind[] kinds)
    {
        start.RegisterOperationAction(operation =>
        {
            if (!WaitsForTypeEnd(operation.ContainingSymbol) && select(operation.Operation))
            {
                judge(new OperationSite(operation.Operation, operation.ContainingSymbol, operation.Options, operation.ReportDiagnostic));
            }
        }, kinds);

        start.RegisterSymbolStartAction(symbolStart =>
        {
            var type = (INamedTypeSymbol)symbolStart.Symbol;
            if (!CanWait(type))
            {
                return;
            }

            ConcurrentQueue<(IOperation Operation, ISymbol Owner)>? selected = null;
            symbolStart.RegisterOperationAction(operation =>
            {
                // The actions of a type also run for its nested types' members: each operation waits for its own type.
                var owner = operation.ContainingSymbol;
                if (owner is not INamedTypeSymbol && SymbolEqualityComparer.Default.Equals(owner.ContainingType, type) && select(operation.Operation))
                {
                    LazyInitializer.EnsureInitialized(ref selected, () => new ConcurrentQueue<(IOperation, ISymbol)>())!.Enqueue((operation.Operation, owner));
                }
            }, kinds);
            symbolStart.RegisterSymbolEndAction(end =>
            {
                if (selected is null)
                {
                    return;
                }

                while (selected.TryDequeue(out var item))
                {
                    judge(new OperationSite(item.Operation, item.Owner, end.Options, end.ReportDiagnostic));
                }
            });
        }, SymbolKind.NamedType);
    }

    /// <summary>
    /// Whether the operations of <paramref name="owner"/>'s body are judged at the end of its type: it is a member (not a
    /// type) of a class or struct that does not hold top-level statements.
    /// </summary>
    public static bool WaitsForTypeEnd(ISymbol? owner) => owner is not null and not INamedTypeSymbol && CanWait(owner.ContainingType);

    /// <summary>
    /// A class or struct, not the implicit class of top-level statements or of a script. Only types of the compilation
    /// are asked about (the owners of analyzed code, the symbols of symbol start actions), so none comes from metadata.
    /// This runs for every operation of every rule that waits, so the members of a type are looked up only for a type
    /// named like the class of top-level statements (<c>Program</c>, which a <c>partial class Program</c> declares too).
    /// </summary>
    public static bool CanWait(INamedTypeSymbol? type) =>
        type is { TypeKind: TypeKind.Class or TypeKind.Struct, IsImplicitlyDeclared: false } &&
        !(type.Name == WellKnownMemberNames.TopLevelStatementsEntryPointTypeName &&
          !type.GetMembers(WellKnownMemberNames.TopLevelStatementsEntryPointMethodName).IsEmpty);
}
