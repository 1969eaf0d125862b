using System.Collections.Generic;
using System.Collections.Immutable;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Sinks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>HIPAA003: PHI is put into an exception's message (any argument an exception constructor formats).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA003PhiInExceptionMessageAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PhiInExceptionMessage);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var phi = PhiCompilationContext.For(start.Compilation);
            // Judged at the end of the type that throws: the methods a message's values come from are mostly its own.
            TypeEndOperations.Register(start, operation => IsException(operation.Type), operation =>
            {
                var creation = (IObjectCreationOperation)operation.Operation;

                var model = phi.GetModel(operation.Options, creation.Syntax.SyntaxTree);
                var sinkName = creation.Type!.Name;
                var findings = new List<(SinkValue, PhiFinding)>();
                foreach (var argument in creation.Arguments)
                {
                    if (!IsMessageArgument(argument))
                    {
                        continue;
                    }

                    var sink = new SinkValue(argument.Value, SinkFormatting.ToString, sinkName);
                    foreach (var finding in model.Flow.Trace(argument.Value, SinkFormatting.ToString))
                    {
                        findings.Add((sink, finding));
                    }
                }

                // A whole object formatted into a message leaks like a value does, so both kinds are reported here.
                foreach (var kind in new[] { PhiFindingKind.Value, PhiFindingKind.WholeObject })
                {
                    FindingReporter.Report(operation.ReportDiagnostic, Descriptors.PhiInExceptionMessage, findings, kind,
                        (sink, finding) => new object[] { finding.Reason.What, finding.Reason.Why, sink.SinkName });
                }
            }, OperationKind.ObjectCreation);
        });
    }

    /// <summary>System.Exception or a type derived from it, matched by name (no type lookup per compilation).</summary>
    private static bool IsException(ITypeSymbol? type) => TypeNames.DerivesFrom(type, "System", "Exception");

    /// <summary>Text and values the exception shows: not parameter names, inner exceptions or flags.</summary>
    private static bool IsMessageArgument(IArgumentOperation argument)
    {
        var parameter = argument.Parameter;
        if (parameter is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return false;
        }

        if (parameter.Name is "paramName" or "parameterName" || IsException(parameter.Type))
        {
            return false;
        }

        return parameter.Type.SpecialType is SpecialType.System_String or SpecialType.System_Object ||
               parameter.Type.TypeKind == TypeKind.Array;
    }
}
