using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Rules;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    /// <summary>
    /// What the IDE does: analyze one open document. Settings in another file (a fallback policy in Program.cs, a
    /// caller that hands over a group with RequireAuthorization) must decide the diagnostic on the endpoint's file.
    /// </summary>
    public class InTheIde
    {
        private const string Endpoints = Usings + @"
public static class PatientEndpoints
{
    public static void MapPatients(this IEndpointRouteBuilder routes) =>
        routes.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
}

public class ChartsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models;

        [Fact]
        public async Task Reports_on_the_endpoint_document_when_nothing_elsewhere_protects_it()
        {
            var diagnostics = await AnalyzeDocumentAsync(Usings + @"
var app = WebApplication.Create(args);
app.MapGroup(""/api"").MapPatients();
app.MapControllers();
app.Run();
");
            Assert.Equal(new[] { "HIPAA301 routes.MapGet", "HIPAA301 Get" }, diagnostics);
        }

        [Fact]
        public async Task Leaves_the_endpoint_document_alone_when_program_sets_a_fallback_policy()
        {
            var diagnostics = await AnalyzeDocumentAsync(Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireRole(""Clinician"").Build());
var app = builder.Build();
app.MapPatients();
app.MapControllers();
app.Run();
");
            Assert.Empty(diagnostics);
        }

        [Fact]
        public async Task Leaves_the_endpoint_document_alone_when_the_caller_hands_over_a_protected_group()
        {
            var diagnostics = await AnalyzeDocumentAsync(Usings + @"
var app = WebApplication.Create(args);
app.MapGroup(""/api"").RequireAuthorization(""view:patients"").MapPatients();
app.MapControllers().RequireAuthorization(""view:charts"");
app.Run();
");
            Assert.Empty(diagnostics);
        }

        /// <summary>The diagnostics of the endpoint document alone, as "ID first-word-of-span", in source order.</summary>
        private static async Task<string[]> AnalyzeDocumentAsync(string program)
        {
            var references = await TestReferences.Net10WithLoggers.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
            var endpoints = CSharpSyntaxTree.ParseText(Endpoints, path: "/App/PatientEndpoints.cs");
            var compilation = CSharpCompilation.Create(
                "App",
                new[] { CSharpSyntaxTree.ParseText(program, path: "/App/Program.cs"), endpoints },
                references.Add(TestReferences.Runtime),
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

            var analyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HIPAA301PhiEndpointWithoutAuthorizationAnalyzer()));
            var diagnostics = await analyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(endpoints), null, CancellationToken.None);
            return diagnostics
                .OrderBy(d => d.Location.SourceSpan.Start)
                .Select(d => d.Id + " " + endpoints.GetText().ToString(d.Location.SourceSpan).Split('(')[0])
                .ToArray();
        }
    }
}
