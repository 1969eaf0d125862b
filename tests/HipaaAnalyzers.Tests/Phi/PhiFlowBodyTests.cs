using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace HipaaAnalyzers.Tests.Phi;

/// <summary>
/// Where the PHI flow reads the body of a method a traced value comes from: in the semantic model of the code that asks
/// when the method is declared in the same file (the driver's model, which has bound it), in the compilation's model for
/// that file otherwise.
/// </summary>
public class PhiFlowBodyTests
{
    private const string Service = """
        using Microsoft.Extensions.Logging;

        public class Patient
        {
            public string Ssn { get; set; } = "";
        }

        public class PatientService
        {
            private readonly ILogger<PatientService> _log;

            public PatientService(ILogger<PatientService> log) => _log = log;

            public void Trace(Patient item) => _log.LogTrace("{Description}", Describe(item));

            private string Describe(Patient item) => "SSN " + item.Ssn;
        }
        """;

    private const string Elsewhere = """
        public static class Labels
        {
            public static string Of(Patient item) => item.Ssn;
        }
        """;

    [Fact]
    public async Task Reads_a_same_file_body_from_the_asking_model_and_another_file_from_its_own()
    {
        var service = CSharpSyntaxTree.ParseText(Service, AnalyzerHost.ParseOptions, path: "PatientService.cs");
        var elsewhere = CSharpSyntaxTree.ParseText(Elsewhere, AnalyzerHost.ParseOptions, path: "Labels.cs");
        var compilation = CSharpCompilation.Create(
            "Clinic", new[] { service, elsewhere }, await AnalyzerHost.ReferencesAsync(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var asking = compilation.GetSemanticModel(service);
        var logCall = service.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().First(i => i.ToString().StartsWith("_log."));
        var argument = ((IInvocationOperation)asking.GetOperation(logCall)!).Arguments.Last(a => a.Parameter?.Name == "args");
        var describe = compilation.GetTypeByMetadataName("PatientService")!.GetMembers("Describe").OfType<IMethodSymbol>().Single();
        var labelsOf = compilation.GetTypeByMetadataName("Labels")!.GetMembers("Of").OfType<IMethodSymbol>().Single();
        var flow = PhiCompilationContext.For(compilation).GetModel(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), service).Flow;

        Assert.Same(asking, flow.GetBody(describe, asking)!.SemanticModel);
        Assert.NotSame(asking, flow.GetBody(describe)!.SemanticModel);
        Assert.Same(elsewhere, flow.GetBody(labelsOf, asking)!.Syntax.SyntaxTree);
        Assert.NotSame(asking, flow.GetBody(labelsOf, asking)!.SemanticModel);

        // The trace of the logged value reads Describe's body, and finds the SSN it returns.
        Assert.Contains(flow.Trace(argument.Value, SinkFormatting.ToString), f => f.Reason.What.Contains("Describe"));
    }
}
