using System.Collections.Immutable;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA002: an object that carries PHI is logged whole: a record's generated ToString, a ToString override that
/// returns PHI, '{@x}' destructuring, or serialization into the message.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA002PhiObjectLoggedWholeAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming a non-PHI identifier member (Id, PatientId) the fix can log instead.</summary>
    public const string IdentifierMemberProperty = "IdentifierMember";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PhiObjectLoggedWhole);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var phi = PhiCompilationContext.For(start.Compilation);
            // At the end of the calling type, as HIPAA001, which shares the trace of each log call.
            TypeEndOperations.Register(start, phi.LogSinks.MayLog, operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                System.Collections.Generic.HashSet<Microsoft.CodeAnalysis.Text.TextSpan>? reported = null;
                foreach (var (sink, finding) in phi.LogSinks.Analyze(invocation, phi, operation.Options, operation.ContainingSymbol))
                {
                    if (finding.Kind != PhiFindingKind.WholeObject)
                    {
                        continue;
                    }

                    var location = FindingReporter.LocationOf(finding, sink.Value);
                    reported ??= new System.Collections.Generic.HashSet<Microsoft.CodeAnalysis.Text.TextSpan>();
                    if (!reported.Add(location.SourceSpan))
                    {
                        continue;
                    }

                    var properties = ImmutableDictionary<string, string?>.Empty;
                    var model = phi.GetModel(operation.Options, invocation.Syntax.SyntaxTree);
                    if (IdentifierMember(finding.Source.Type, model) is { } identifier)
                    {
                        properties = properties.Add(IdentifierMemberProperty, identifier);
                    }

                    operation.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.PhiObjectLoggedWhole,
                        location,
                        properties,
                        DescribeObject(finding.Source),
                        finding.Reason.What + ": " + finding.Reason.Why,
                        finding.HowFormatted ?? "formatted",
                        sink.SinkName));
                }
            }, OperationKind.Invocation);
        });
    }

    /// <summary>"Patient", or "Patient items" for a collection joined into a message.</summary>
    private static string DescribeObject(IOperation source) =>
        source.Type is not { } type ? source.Syntax.ToString()
        : PhiModel.GetElementType(type) is { } item ? item.Name + " items"
        : type.Name;

    /// <summary>A public, readable, non-PHI identifier of the object: "Id", or "PatientId" on Patient.</summary>
    private static string? IdentifierMember(ITypeSymbol? type, PhiModel model)
    {
        if (type is null || PhiModel.GetElementType(type) is not null)
        {
            return null;
        }

        string? fallback = null;
        for (var t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod: not null } property ||
                    model.ClassifySymbol(property) is not null)
                {
                    continue;
                }

                if (property.Name == "Id" || property.Name == type.Name + "Id")
                {
                    return property.Name;
                }

                if (fallback is null && property.Name.EndsWith("Id", System.StringComparison.Ordinal) && property.Name.Length > 2 &&
                    (PhiModel.IsNumeric(property.Type) || property.Type.Name == "Guid"))
                {
                    fallback = property.Name;
                }
            }
        }

        return fallback;
    }
}
