using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// Runs one endpoint rule: on each controller or page model and each class that maps endpoints (symbol start and end
/// actions), and on the other Map calls (operation action: top-level statements, nested classes), so the IDE analyzes
/// them with the document that declares them, and reports at most one diagnostic per endpoint.
/// </summary>
internal static class EndpointRule
{
    /// <summary>
    /// How the endpoint rules treat generated code: judged like the rest. A controller generated from an OpenAPI document
    /// serves PHI like any other, and is protected from another file (a partial class, a fallback policy). This also
    /// spares the driver its search of a whole file for <c>[GeneratedCode]</c> declarations before it lets a diagnostic
    /// of a symbol action through.
    /// </summary>
    public const GeneratedCodeAnalysisFlags GeneratedCode = GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics;

    /// <summary>
    /// Registers the actions. <paramref name="check"/> returns the diagnostic for one PHI endpoint, or null when the
    /// endpoint complies; for a Map call reached from several callers, the first caller that does not comply counts.
    /// </summary>
    public static void Register(AnalysisContext context, Func<PhiEndpoint, Diagnostic?> check)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var analysis = EndpointAnalysis.For(start.Compilation);
            start.RegisterOperationAction(operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (!IsMapCall(invocation) || !analysis.Model.IsAspNetCore ||
                    (operation.ContainingSymbol?.ContainingType is { } containing &&
                     analysis.RoleOf(containing, operation.CancellationToken) == EndpointTypeRole.MapsEndpoints))
                {
                    return;
                }

                Report(analysis.ForMapCall(invocation, operation.Options, operation.CancellationToken), check, operation.ReportDiagnostic);
            }, OperationKind.Invocation);

            // A controller or page model is judged when the driver has analyzed every member of it: the bodies it has bound
            // for the type's operation blocks are read then (Observe), and the endpoint model does not bind them again.
            start.RegisterSymbolStartAction(symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                if (type.TypeKind != TypeKind.Class || !analysis.Model.IsAspNetCore)
                {
                    return;
                }

                var role = analysis.RoleOf(type, symbolStart.CancellationToken);
                if (role == EndpointTypeRole.DeclaresEndpoints)
                {
                    symbolStart.RegisterOperationBlockAction(block => Observe(analysis, block));
                    symbolStart.RegisterSymbolEndAction(end => Report(analysis.ForType(type, end.Options, end.CancellationToken), check, end.ReportDiagnostic));
                    return;
                }

                // The Map calls of a class that maps endpoints (a static EndpointRouteBuilder extension, a module) are
                // judged at the end of the class, when the driver has bound its methods: handlers given as method groups
                // (group.MapGet("/{id}", GetAsync)) are usually methods of the same class, and are read, not bound again.
                if (role != EndpointTypeRole.MapsEndpoints)
                {
                    return;
                }

                var mapCalls = new ConcurrentQueue<IInvocationOperation>();
                symbolStart.RegisterOperationAction(operation =>
                {
                    var invocation = (IInvocationOperation)operation.Operation;
                    if (IsMapCall(invocation) && SymbolEqualityComparer.Default.Equals(operation.ContainingSymbol?.ContainingType, type))
                    {
                        mapCalls.Enqueue(invocation);
                    }
                }, OperationKind.Invocation);
                symbolStart.RegisterOperationBlockAction(block => Observe(analysis, block));
                symbolStart.RegisterSymbolEndAction(end =>
                {
                    while (mapCalls.TryDequeue(out var invocation))
                    {
                        Report(analysis.ForMapCall(invocation, end.Options, end.CancellationToken), check, end.ReportDiagnostic);
                    }
                });
            }, SymbolKind.NamedType);
        });
    }

    private static bool IsMapCall(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name is "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "Map" or "MapFallback";

    /// <summary>
    /// Hands the bodies the driver has bound for a method of the type to the audit model, which reads them once. Only
    /// ordinary methods are asked about (handlers and the methods they call); constructors and accessors are not read.
    /// </summary>
    private static void Observe(EndpointAnalysis analysis, OperationBlockAnalysisContext block)
    {
        if (block.OwningSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && !block.OperationBlocks.IsDefaultOrEmpty)
        {
            analysis.Model.AuditFor(block.Options, block.OperationBlocks[0].Syntax.SyntaxTree).Observe(method, block.OperationBlocks);
        }
    }

    private static void Report(ImmutableArray<PhiEndpoint> endpoints, Func<PhiEndpoint, Diagnostic?> check, Action<Diagnostic> report)
    {
        HashSet<Location>? reported = null;
        foreach (var endpoint in endpoints)
        {
            if (reported?.Contains(endpoint.Location) == true || check(endpoint) is not { } diagnostic)
            {
                continue;
            }

            (reported ??= new HashSet<Location>()).Add(endpoint.Location);
            report(diagnostic);
        }
    }
}
