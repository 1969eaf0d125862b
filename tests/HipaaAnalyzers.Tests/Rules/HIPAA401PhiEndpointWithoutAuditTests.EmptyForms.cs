using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA401PhiEndpointWithoutAuditAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>A GET that shows an empty form returns no PHI; one that fills the form from data does.</summary>
public partial class HIPAA401PhiEndpointWithoutAuditTests
{
    /// <summary>MVC actions that show a form, empty or filled.</summary>
    internal const string FormController = @"
using Microsoft.AspNetCore.Mvc.Rendering;

public class PatientsController : Controller
{
    private readonly PatientStore _store = new();

    [HttpGet]
    public IActionResult Register() => View(new PatientRegisterViewModel());

    [HttpPost]
    public IActionResult [|Register|](PatientRegisterViewModel model) => RedirectToAction(""Index"");

    [HttpGet]
    public IActionResult Book()
    {
        var doctors = new List<SelectListItem> { new SelectListItem(""Dr. Grey"", ""1"") };
        return View(new BookAppointmentViewModel { Doctors = doctors, AppointmentDate = DateTime.Today.AddDays(1) });
    }

    [HttpGet]
    public IActionResult Start()
    {
        var model = new PatientRegisterViewModel { Country = ""US"", DateOfBirth = DateTime.Today };
        return View(model);
    }

    [HttpGet]
    public IActionResult [|Edit|](int id)
    {
        var patient = _store.Get(id);
        return View(new PatientRegisterViewModel { LastName = patient.LastName });
    }

    [HttpGet]
    public IActionResult [|Prefill|](int id)
    {
        var model = new PatientRegisterViewModel();
        model.LastName = _store.Get(id).LastName;
        return View(model);
    }

    [HttpGet]
    public IActionResult [|Filled|](int id)
    {
        var model = new PatientRegisterViewModel();
        Fill(model, id);
        return View(model);
    }

    private void Fill(PatientRegisterViewModel model, int id) => model.Ssn = _store.Get(id).Ssn;
}
";

    /// <summary>Razor Pages whose GET handlers show a bound model, empty or loaded.</summary>
    internal const string FormPages = @"
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.RazorPages;

public class CreateModel : PageModel
{
    [BindProperty]
    public Patient Patient { get; set; } = default!;

    public IActionResult OnGet()
    {
        ViewData[""DoctorId""] = new SelectList(new[] { ""Dr. Grey"", ""Dr. House"" });
        return Page();
    }

    public IActionResult [|OnPost|]() => RedirectToPage(""./Index"");
}

[BindProperties]
public class IntakeModel : PageModel
{
    public Patient Patient { get; set; } = default!;

    public void OnGet() => Patient = new Patient(0, """", """");
}

public class EditModel : PageModel
{
    [BindProperty]
    public Patient Patient { get; set; } = default!;

    public IActionResult [|OnGet|](int id)
    {
        Patient = new PatientStore().Get(id);
        return Page();
    }
}

public class ReviewModel : PageModel
{
    [BindProperty]
    public Patient Patient { get; set; } = default!;

    public void [|OnGet|](int id) => Load(id);

    private void Load(int id) => Patient = new PatientStore().Get(id);
}

public class SearchModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Patient? Patient { get; set; }

    public void [|OnGet|]() { }
}
";

    [Fact]
    public Task Leaves_alone_mvc_gets_that_show_an_empty_form_but_reports_filled_forms() =>
        Verify.VerifyAsync(Usings + FormController + Models + FormModels);

    [Fact]
    public Task Leaves_alone_page_gets_that_show_an_empty_bound_form_but_reports_loaded_ones_and_posts() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Pages/Patients/Forms.cshtml.cs", Usings + FormPages + Models),
    });
}
