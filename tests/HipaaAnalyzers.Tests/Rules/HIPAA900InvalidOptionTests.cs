using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA900InvalidOptionAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA900InvalidOptionTests
{
    private const string Source = "class C { }";

    [Fact]
    public Task Reports_a_bad_regular_expression_once_naming_key_and_file() => Verify.VerifyAsync(
        Source,
        "hipaa_analyzers.phi_name_pattern = [unclosed\n",
        Verify.Diagnostic("HIPAA900").WithNoLocation()
            .WithArguments("hipaa_analyzers.phi_name_pattern", "/0/Test0.cs",
                "'[unclosed' is not a valid regular expression (Invalid pattern '[unclosed' at offset 9. Unterminated [] set.)"));

    [Fact]
    public Task Reports_an_unknown_boolean_value() => Verify.VerifyAsync(
        Source,
        "hipaa_analyzers.name_heuristics = sometimes\n",
        Verify.Diagnostic("HIPAA900").WithNoLocation()
            .WithArguments("hipaa_analyzers.name_heuristics", "/0/Test0.cs", "'sometimes' is not one of the allowed values 'true' or 'false'"));

    [Fact]
    public Task Reports_a_malformed_sanitizer_name() => Verify.VerifyAsync(
        Source,
        "hipaa_analyzers.sanitizers = Acme.Scrubber.Clean, Clean(string)\n",
        Verify.Diagnostic("HIPAA900").WithNoLocation()
            .WithArguments("hipaa_analyzers.sanitizers", "/0/Test0.cs",
                "'Clean(string)' is not a method name of the form 'Type.Method' or 'Namespace.Type.Method'"));

    [Fact]
    public Task Reports_a_malformed_audit_type_name() => Verify.VerifyAsync(
        Source,
        "hipaa_analyzers.audit_types = AccessRecorder, Acme.Compliance.TrailWriter, IRepository<AuditLog>\n",
        Verify.Diagnostic("HIPAA900").WithNoLocation()
            .WithArguments("hipaa_analyzers.audit_types", "/0/Test0.cs",
                "'IRepository<AuditLog>' is not a type name of the form 'Type' or 'Namespace.Type'"));

    [Fact]
    public Task Stays_quiet_for_valid_options() => Verify.VerifyAsync(
        Source,
        "hipaa_analyzers.phi_name_pattern = ^chart\nhipaa_analyzers.name_heuristics = FALSE\nhipaa_analyzers.sanitizers = Acme.Scrubber.Clean\nhipaa_analyzers.phi_names = chart code, enrolment ref\n");

    [Fact]
    public async Task Reports_once_for_many_files_with_the_same_bad_value()
    {
        var trees = new[] { "A", "B", "C" }
            .Select(name => CSharpSyntaxTree.ParseText($"class {name} {{ }}", path: $"/src/{name}.cs"))
            .ToArray();
        var compilation = CSharpCompilation.Create("Many", trees,
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty,
            new SameOptionsForEveryFile(("hipaa_analyzers.name_heuristics", "maybe")));

        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HipaaAnalyzers.Rules.HIPAA900InvalidOptionAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync();

        var single = Assert.Single(diagnostics);
        var message = single.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("hipaa_analyzers.name_heuristics", message);
        Assert.Matches("/src/[ABC]\\.cs", message);
    }

    private sealed class SameOptionsForEveryFile : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options;

        public SameOptionsForEveryFile(params (string Key, string Value)[] values) =>
            _options = new Options(values.ToDictionary(v => v.Key, v => v.Value));

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly Dictionary<string, string> _values;

            public Options(Dictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }
    }
}
