using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>A GET that shows an empty form returns no PHI; one that fills the form from data does.</summary>
public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    [Fact]
    public Task Leaves_alone_mvc_gets_that_show_an_empty_form_but_reports_filled_forms() => Verify.VerifyAsync(
        Usings + HIPAA401PhiEndpointWithoutAuditTests.FormController + Models + FormModels);

    [Fact]
    public Task Leaves_alone_page_gets_that_show_an_empty_bound_form_but_reports_loaded_ones_and_posts() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Pages/Patients/Forms.cshtml.cs", Usings + HIPAA401PhiEndpointWithoutAuditTests.FormPages + Models),
    });
}
