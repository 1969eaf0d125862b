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
            // Judged at the end of the calling type: the methods a logged value comes from are mostly its own.
            TypeEndOperations.Register(start, phi.LogSinks.MayLog, site =>
            {
                var invocation = (IInvocationOperation)site.Operation;
                var findings = phi.LogSinks.Analyze(invocation, phi, site.Options, site.ContainingSymbol);
                if (findings.IsEmpty)
                {
                    return;
                }

                FindingReporter.Report(
                    site.ReportDiagnostic,
                    Descriptors.PhiInLog,
                    findings,
                    PhiFindingKind.Value,
                    (sink, finding) => new object[] { finding.Reason.What, finding.Reason.Why, sink.SinkName });
            }, OperationKind.Invocation);
        });
    }
}
