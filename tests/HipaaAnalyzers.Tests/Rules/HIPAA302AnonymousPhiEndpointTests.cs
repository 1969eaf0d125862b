using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA302AnonymousPhiEndpointAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA302AnonymousPhiEndpointTests
{
    [Fact]
    public Task Reports_allow_anonymous_on_phi_actions_and_their_controllers() => Verify.VerifyAsync(Usings + @"
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    [AllowAnonymous]
    public ActionResult<Patient> {|HIPAA302:Get|}(int id) => new PatientStore().Get(id);

    public ActionResult<Product> Product(int id) => new ProductCatalog().Get(id);
}

[AllowAnonymous]
public class ChartsController : ControllerBase
{
    public ActionResult<Patient> {|HIPAA302:Get|}(int id) => new PatientStore().Get(id);

    [AllowAnonymous]
    public string Status() => ""ok"";
}
" + Models);

    [Fact]
    public Task Reports_allow_anonymous_on_minimal_endpoints_and_groups_even_under_a_fallback_policy() => Verify.VerifyAsync(Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireRole(""Clinician"").Build());
var app = builder.Build();
{|HIPAA302:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.AllowAnonymous();
var open = app.MapGroup(""/open"").AllowAnonymous();
{|HIPAA302:open.MapGet(""/patients"", (PatientStore store) => store.All())|};
{|HIPAA302:app.MapGet(""/charts/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.WithMetadata(new AllowAnonymousAttribute());
app.MapGet(""/health"", () => ""ok"").AllowAnonymous();
app.MapGet(""/products/{id:int}"", (int id, ProductCatalog catalog) => catalog.Get(id)).AllowAnonymous();
app.Run();
" + Models);

    [Fact]
    public Task Reports_allow_anonymous_in_an_if_debug_region_that_this_build_leaves_out() => Verify.VerifyAsync(Usings + @"
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
#if DEBUG
    [AllowAnonymous]
#endif
    public ActionResult<Patient> {|HIPAA302:Get|}(int id) => new PatientStore().Get(id);

#if DEBUG
    [ResponseCache(Duration = 0)]
#endif
    public ActionResult<Patient> Find(int id) => new PatientStore().Get(id);

#if DEBUG
    [AllowAnonymous]
    public string Debug() => ""debug build"";
#endif
    public ActionResult<Patient> Chart(int id) => new PatientStore().Get(id);
}

#if DEBUG
[AllowAnonymous]
#endif
[Authorize(Policy = ""view:charts"")]
public class ChartsController : ControllerBase
{
    public ActionResult<Patient> {|HIPAA302:Get|}(int id) => new PatientStore().Get(id);
}

public static class Routes
{
    public static void Map(IEndpointRouteBuilder app)
    {
#if DEBUG
        app.MapGet(""/debug"", () => ""debug"").AllowAnonymous();
#endif
        app.MapGet(""/charts/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(""view:charts"");
        {|HIPAA302:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}
            .RequireAuthorization(""view:patients"")
#if DEBUG
            .AllowAnonymous()
#endif
            ;
    }
}
" + Models);

    [Fact]
    public Task Reports_razor_pages_opened_by_an_anonymous_page_convention() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorPages(options =>
{
    options.Conventions.AuthorizeFolder(""/"", ""view:patients"");
    options.Conventions.AllowAnonymousToPage(""/Patients/Details"");
    options.Conventions.AllowAnonymousToFolder(""/Public"");
});
var app = builder.Build();
app.MapRazorPages();
app.Run();
"),
        ("/App/Pages/Patients/Details.cshtml.cs", Usings + @"
using Microsoft.AspNetCore.Mvc.RazorPages;

public class DetailsModel : PageModel
{
    public Patient? Patient { get; private set; }

    public void {|HIPAA302:OnGet|}(int id) => Patient = new PatientStore().Get(id);
}
"),
        ("/App/Pages/Patients/Index.cshtml.cs", Usings + @"
using Microsoft.AspNetCore.Mvc.RazorPages;

public class IndexModel : PageModel
{
    public IReadOnlyList<Patient> Patients { get; private set; } = new List<Patient>();

    public void OnGet() => Patients = new PatientStore().All();
}
"),
        ("/App/Pages/Public/Hours.cshtml.cs", Usings + @"
using Microsoft.AspNetCore.Mvc.RazorPages;

public class HoursModel : PageModel
{
    public string Hours { get; private set; } = ""8-18"";

    public void OnGet() { }
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_protected_phi_endpoints_and_anonymous_endpoints_without_phi() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
app.MapGet(""/health"", () => ""ok"").AllowAnonymous();
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(""view:patients"");
app.MapControllers();
app.Run();

[AllowAnonymous]
public class CatalogController : ControllerBase
{
    public ActionResult<Product> Get(int id) => new ProductCatalog().Get(id);
}

[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [AllowAnonymous]
    public IActionResult Ping() => Ok();
}
" + Models);
}
