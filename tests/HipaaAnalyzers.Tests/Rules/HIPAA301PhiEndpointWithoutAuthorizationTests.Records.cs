using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Endpoints that load, change or delete PHI records through EF Core, without taking or returning PHI.</summary>
public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    [Fact]
    public Task Reports_endpoints_that_change_or_read_phi_records_through_ef_core() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + HIPAA401PhiEndpointWithoutAuditTests.RecordSources(HIPAA401PhiEndpointWithoutAuditTests.RecordProgram, "HIPAA301")),
        ("/App/Controllers.cs", Usings +
            HIPAA401PhiEndpointWithoutAuditTests.RecordSources(HIPAA401PhiEndpointWithoutAuditTests.RecordControllers, "HIPAA301") +
            HIPAA401PhiEndpointWithoutAuditTests.RecordModels),
    });

    [Fact]
    public Task Leaves_alone_record_endpoints_that_require_authorization() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + HIPAA401PhiEndpointWithoutAuditTests.Unmarked(HIPAA401PhiEndpointWithoutAuditTests.RecordProgram).Replace("});\napp.MapGet", "}).RequireAuthorization(\"delete:appointments\");\napp.MapGet")),
        ("/App/Controllers.cs", Usings +
            HIPAA401PhiEndpointWithoutAuditTests.Unmarked(HIPAA401PhiEndpointWithoutAuditTests.RecordControllers)
                .Replace("public class DoctorController", "[Authorize(Roles = \"Doctor\")]\npublic class DoctorController")
                .Replace("public class PatientsController", "[Authorize(Policy = \"edit:patients\")]\npublic class PatientsController") +
            HIPAA401PhiEndpointWithoutAuditTests.RecordModels),
    });
}
