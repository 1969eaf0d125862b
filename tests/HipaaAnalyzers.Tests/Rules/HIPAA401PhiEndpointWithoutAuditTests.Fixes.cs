using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Rules;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA401PhiEndpointWithoutAuditAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA401PhiEndpointWithoutAuditTests
{
    /// <summary>The code fix: [AuditPhiAccess(...)] or .AuditPhiAccess(...) with the action taken from the verb.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Is_not_offered_without_the_aspnetcore_runtime()
        {
            var offered = await HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
                HipaaAnalyzers.Rules.HIPAA401PhiEndpointWithoutAuditAnalyzer, HIPAA401PhiEndpointWithoutAuditFixer>.GetOfferedFixesAsync(Usings + @"
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);

            Assert.Empty(offered);
        }

        [Fact]
        public Task Adds_the_attribute_with_the_action_of_the_verb_and_the_usings_once() => Verify.VerifyFixAsync<HIPAA401PhiEndpointWithoutAuditFixer>(Usings + @"
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    [HttpGet]
    public ActionResult<Patient> {|HIPAA401:Get|}(int id) => new PatientStore().Get(id);

    [HttpPatch]
    public IActionResult {|HIPAA401:Update|}(Patient patient) => NoContent();

    [HttpDelete]
    public IActionResult {|HIPAA401:Delete|}(string ssn) => NoContent();
}
" + Models, Usings.Replace("using Clinic;\n", "using Clinic;\nusing HipaaAnalyzers.Runtime.AspNetCore;\nusing HipaaAnalyzers.Runtime.Audit;\n") + @"
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    [HttpGet]
    [AuditPhiAccess(AuditAction.Viewed)]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpPatch]
    [AuditPhiAccess(AuditAction.Modified)]
    public IActionResult Update(Patient patient) => NoContent();

    [HttpDelete]
    [AuditPhiAccess(AuditAction.Deleted)]
    public IActionResult Delete(string ssn) => NoContent();
}
" + Models, "HIPAA401.AuditPhiAccess");

        [Fact]
        public Task Adds_audit_phi_access_to_minimal_endpoints() => Verify.VerifyFixAsync<HIPAA401PhiEndpointWithoutAuditFixer>(Usings + @"
var app = WebApplication.Create(args);
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.RequireAuthorization(""view:patients"");
{|HIPAA401:app.MapPost(""/patients"", (Patient patient) => Results.Created(""/patients/1"", null))|};
app.Run();
" + Models, Usings.Replace("using Clinic;\n", "using Clinic;\nusing HipaaAnalyzers.Runtime.AspNetCore;\nusing HipaaAnalyzers.Runtime.Audit;\n") + @"
var app = WebApplication.Create(args);
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id)).AuditPhiAccess(AuditAction.Viewed).RequireAuthorization(""view:patients"");
app.MapPost(""/patients"", (Patient patient) => Results.Created(""/patients/1"", null)).AuditPhiAccess(AuditAction.Modified);
app.Run();
" + Models, "HIPAA401.AuditPhiAccess");
    }
}
