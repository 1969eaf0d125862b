using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// Runs one endpoint rule: on each Map call (operation action) and each controller or page model (symbol start and end actions),
/// so the IDE analyzes them with the document that declares them, and reports at most one diagnostic per endpoint.
/// </summary>
internal static class EndpointRule
{
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
                if (invocation.TargetMethod.Name is not ("MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "Map" or "MapFallback") ||
                    !analysis.Model.IsAspNetCore)
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
                if (type.TypeKind != TypeKind.Class || type.IsAbstract || !analysis.Model.IsAspNetCore ||
                    !(EndpointModel.IsController(type) || EndpointModel.IsPageModel(type)))
                {
                    return;
                }

                symbolStart.RegisterOperationBlockAction(block =>
                {
                    if (block.OwningSymbol is IMethodSymbol method && !block.OperationBlocks.IsDefaultOrEmpty)
                    {
                        analysis.Model.AuditFor(block.Options, block.OperationBlocks[0].Syntax.SyntaxTree).Observe(method, block.OperationBlocks);
                    }
                });
                symbolStart.RegisterSymbolEndAction(end => Report(analysis.ForType(type, end.Options, end.CancellationToken), check, end.ReportDiagnostic));
            }, SymbolKind.NamedType);
        });
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
