using System.Collections.Immutable;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>HIPAA001: a PHI value reaches a logger (Microsoft.Extensions.Logging, Serilog, NLog, log4net, Console, Debug, Trace).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA001PhiInLogAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PhiInLog);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var phi = PhiCompilationContext.For(start.Compilation);
            start.RegisterOperationAction(operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                var findings = phi.LogSinks.Analyze(invocation, phi, operation.Options, operation.ContainingSymbol);
                if (findings.IsEmpty)
                {
                    // Most calls are not log calls: nothing to allocate for them.
                    return;
                }

                FindingReporter.Report(
                    operation.ReportDiagnostic,
                    Descriptors.PhiInLog,
                    findings,
                    PhiFindingKind.Value,
                    (sink, finding) => new object[] { finding.Reason.What, finding.Reason.Why, sink.SinkName });
            }, OperationKind.Invocation);
        });
    }
}
