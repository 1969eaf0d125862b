using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA900InvalidOptionAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA900InvalidOptionTests
{
    private const string SecretsKey = "hipaa_analyzers.secrets_in_test_projects";

    [Fact]
    public Task Reports_an_invalid_secrets_in_test_projects_value_in_the_globalconfig() => Verify.VerifyInProjectAsync(
        Source,
        SecretsKey + " = maybe",
        Enumerable.Empty<MetadataReference>(),
        Verify.Diagnostic("HIPAA900").WithNoLocation()
            .WithArguments(SecretsKey, "/0/Test0.cs", "'maybe' is not one of the allowed values 'true' or 'false'"));

    [Fact]
    public Task Reports_secrets_in_test_projects_set_in_an_editorconfig_section() => Verify.VerifyAsync(
        Source,
        SecretsKey + " = true\n",
        Verify.Diagnostic("HIPAA900").WithNoLocation()
            .WithArguments(SecretsKey, "/0/Test0.cs",
                "'true' is set for source files (an .editorconfig section), but this option applies to a whole project and is read only from a .globalconfig (is_global = true)"));

    [Fact]
    public Task Stays_quiet_for_a_valid_secrets_in_test_projects_value_in_the_globalconfig() => Verify.VerifyInProjectAsync(
        Source,
        SecretsKey + " = True\nbuild_property.IsTestProject = true",
        Enumerable.Empty<MetadataReference>());
}
