using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Rules;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    /// <summary>The code fix: a named policy on the action, page model or minimal endpoint.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_the_policy_named_after_the_verb_and_resource()
        {
            var offered = await HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
                HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer, HIPAA301PhiEndpointWithoutAuthorizationFixer>.GetOfferedFixesAsync(Usings + @"
public class PatientsController : ControllerBase
{
    [HttpGet]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpDelete]
    public IActionResult Delete(string ssn) => NoContent();
}
" + Models);

            Assert.Equal(
                new (string, string?)[]
                {
                    ("Require the policy 'view:patients'", "HIPAA301.RequirePolicy"),
                    ("Require the policy 'delete:patients'", "HIPAA301.RequirePolicy"),
                },
                offered);
        }

        [Fact]
        public Task Adds_a_policy_named_after_the_verb_and_controller_to_each_action() => Verify.VerifyFixAsync<HIPAA301PhiEndpointWithoutAuthorizationFixer>(Usings + @"
[ApiController]
[Route(""medical-images"")]
public class MedicalImagesController : ControllerBase
{
    /// <summary>One patient.</summary>
    [HttpGet(""{id:int}"")]
    public ActionResult<Patient> {|HIPAA301:Get|}(int id) => new PatientStore().Get(id);

    [HttpPut(""{id:int}"")]
    public IActionResult {|HIPAA301:Update|}(int id, Patient patient) => NoContent();

    [HttpDelete(""by-ssn/{ssn}"")]
    public IActionResult {|HIPAA301:Delete|}(string ssn) => NoContent();
}
" + Models, Usings + @"
[ApiController]
[Route(""medical-images"")]
public class MedicalImagesController : ControllerBase
{
    /// <summary>One patient.</summary>
    [HttpGet(""{id:int}"")]
    [Authorize(Policy = ""view:medical_images"")]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpPut(""{id:int}"")]
    [Authorize(Policy = ""edit:medical_images"")]
    public IActionResult Update(int id, Patient patient) => NoContent();

    [HttpDelete(""by-ssn/{ssn}"")]
    [Authorize(Policy = ""delete:medical_images"")]
    public IActionResult Delete(string ssn) => NoContent();
}
" + Models, "HIPAA301.RequirePolicy");

        [Fact]
        public Task Adds_require_authorization_to_minimal_endpoints() => Verify.VerifyFixAsync<HIPAA301PhiEndpointWithoutAuthorizationFixer>(Usings + @"
var app = WebApplication.Create(args);
var api = app.MapGroup(""/api/v1"");
{|HIPAA301:api.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.WithName(""GetPatient"");
{|HIPAA301:app.MapPost(""/admissions"", (Patient patient) => Results.Created(""/admissions/1"", null))|};
app.Run();
" + Models, Usings + @"
var app = WebApplication.Create(args);
var api = app.MapGroup(""/api/v1"");
api.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(""view:patients"").WithName(""GetPatient"");
app.MapPost(""/admissions"", (Patient patient) => Results.Created(""/admissions/1"", null)).RequireAuthorization(""edit:admissions"");
app.Run();
" + Models, "HIPAA301.RequirePolicy");

        [Fact]
        public Task Puts_the_attribute_on_the_page_model_once() => Verify.VerifyFixAsync<HIPAA301PhiEndpointWithoutAuthorizationFixer>(
            new[]
            {
                ("/App/Pages/Patients/Details.cshtml.cs", @"using Microsoft.AspNetCore.Mvc.RazorPages;
using Clinic;

namespace App.Pages.Patients;

public class DetailsModel : PageModel
{
    public Patient? Patient { get; private set; }

    public void {|HIPAA301:OnGet|}(int id) => Patient = new PatientStore().Get(id);

    public void {|HIPAA301:OnPost|}(int id) => Patient = null;
}
"),
                ("/App/Models.cs", "using System.Collections.Generic;" + Models),
            },
            new[]
            {
                ("/App/Pages/Patients/Details.cshtml.cs", @"using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Clinic;

namespace App.Pages.Patients;

[Authorize(Policy = ""view:patients"")]
public class DetailsModel : PageModel
{
    public Patient? Patient { get; private set; }

    public void OnGet(int id) => Patient = new PatientStore().Get(id);

    public void OnPost(int id) => Patient = null;
}
"),
                ("/App/Models.cs", "using System.Collections.Generic;" + Models),
            },
            "HIPAA301.RequirePolicy");
    }
}
