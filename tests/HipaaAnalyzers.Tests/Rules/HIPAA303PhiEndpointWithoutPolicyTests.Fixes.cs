using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Rules;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA303PhiEndpointWithoutPolicyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA303PhiEndpointWithoutPolicyTests
{
    /// <summary>The code fix: name a policy on the existing requirement, or add one to the endpoint.</summary>
    public class Fixes
    {
        [Fact]
        public Task Names_the_policy_on_plain_authorize_or_adds_one_to_the_action() => Verify.VerifyFixAsync<HIPAA303PhiEndpointWithoutPolicyFixer>(Usings + @"
[Authorize]
public class ChartsController : ControllerBase
{
    [Authorize]
    public ActionResult<Patient> {|HIPAA303:Get|}(int id) => new PatientStore().Get(id);

    [HttpPost]
    public IActionResult {|HIPAA303:Amend|}(Patient patient) => NoContent();
}
" + Models, Usings + @"
[Authorize]
public class ChartsController : ControllerBase
{
    [Authorize(Policy = ""view:charts"")]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpPost]
    [Authorize(Policy = ""edit:charts"")]
    public IActionResult Amend(Patient patient) => NoContent();
}
" + Models, "HIPAA303.NamePolicy");

        [Fact]
        public Task Names_the_policy_of_require_authorization_or_adds_one_to_the_endpoint() => Verify.VerifyFixAsync<HIPAA303PhiEndpointWithoutPolicyFixer>(Usings + @"
var app = WebApplication.Create(args);
{|HIPAA303:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.WithName(""GetPatient"").RequireAuthorization();
var group = app.MapGroup(""/records"").RequireAuthorization();
{|HIPAA303:group.MapDelete(""/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
app.Run();
" + Models, Usings + @"
var app = WebApplication.Create(args);
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id)).WithName(""GetPatient"").RequireAuthorization(""view:patients"");
var group = app.MapGroup(""/records"").RequireAuthorization();
group.MapDelete(""/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(""delete:records"");
app.Run();
" + Models, "HIPAA303.NamePolicy");
    }
}
