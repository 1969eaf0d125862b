using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Custom authorization, and what MVC results return.</summary>
public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    [Fact]
    public Task Leaves_alone_custom_authorize_attributes_and_authorization_filters() => Verify.VerifyAsync(Usings + @"
using Clinic.Security;

public class PatientsController : ControllerBase
{
    [HasPermission(PermissionEnum.ReadPatient)]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [MyAuthorize]
    public ActionResult<Patient> Mine(int id) => new PatientStore().Get(id);
}

[RequireClinicianAccess]
public class ChartsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + HIPAA303PhiEndpointWithoutPolicyTests.CustomAuthorization + Models);

    [Fact]
    public Task Leaves_alone_mvc_results_without_a_model_but_reports_a_phi_model() => Verify.VerifyAsync(Usings + @"
using System.Linq;

public class PatientsController : Controller
{
    private readonly PatientStore _store = new();

    public IActionResult Index()
    {
        ViewBag.Count = _store.All().Count;
        ViewBag.First = _store.All().Select(p => p).FirstOrDefault();
        return View();
    }

    public IActionResult Names() => View(""Names"");

    public IActionResult Summary() => PartialView();

    public IActionResult Go(int id)
    {
        var patient = _store.Get(id);
        return RedirectToAction(""Details"", new { id = patient.Id, patient.LastName });
    }

    public IActionResult Remove(int id) => NoContent();

    public IActionResult Done() => Ok();

    public IActionResult {|HIPAA301:Details|}(int id)
    {
        var patient = _store.Get(id);
        return View(patient);
    }

    public IActionResult {|HIPAA301:Card|}(int id) => PartialView(""_Card"", _store.Get(id));
}
" + Models);
}
