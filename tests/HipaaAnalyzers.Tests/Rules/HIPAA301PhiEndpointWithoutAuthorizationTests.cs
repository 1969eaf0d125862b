using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    [Fact]
    public Task Reports_controller_actions_that_return_or_take_phi() => Verify.VerifyAsync(Usings + @"
[ApiController]
[Route(""patients"")]
public class PatientsController : ControllerBase
{
    private readonly PatientStore _store = new();

    [HttpGet(""{id:int}"")]
    public ActionResult<Patient> {|HIPAA301:Get|}(int id) => _store.Get(id);

    [HttpGet]
    public async Task<IEnumerable<Patient>> {|HIPAA301:List|}() => await Task.FromResult(_store.All());

    [HttpGet(""{id:int}/summary"")]
    public IActionResult {|HIPAA301:Summary|}(int id) => Ok(new PatientSummary(id, ""MRN-1""));

    [HttpGet(""by-ssn/{ssn}"")]
    public IActionResult {|HIPAA301:FindBySsn|}(string ssn) => NoContent();

    [HttpPost]
    public IActionResult {|HIPAA301:Create|}(Patient patient) => Created(""/patients/1"", null);

    [HttpGet(""count"")]
    public int Count() => 3;
}
" + Models);

    [Fact]
    public Task Reports_minimal_api_endpoints_groups_and_phi_route_values() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
{|HIPAA301:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
{|HIPAA301:app.MapGet(""/patients/{id:int}/summary"", (int id) => Results.Ok(new PatientSummary(id, ""MRN"")))|};
{|HIPAA301:app.MapGet(""/lookup/{ssn}"", (string ssn) => TypedResults.NoContent())|};
var group = app.MapGroup(""/records"").WithTags(""records"");
{|HIPAA301:group.MapPost(""/"", (Patient patient) => Results.Created(""/records/1"", null))|};
PatientRoutes.Map(app.MapGroup(""/v2""));
app.MapGet(""/health"", () => ""ok"");
app.Run();

static class PatientRoutes
{
    public static void Map(RouteGroupBuilder group)
    {
        {|HIPAA301:group.MapGet(""/patients"", (PatientStore store) => store.All())|};
    }
}
" + Models);

    [Fact]
    public Task Reports_each_map_call_once_in_modules_nested_classes_and_top_level_statements() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
{|HIPAA301:app.MapGet(""/top/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
PatientModule.MapPatients(app);
Outer.Routes.Map(app);
app.Run();

public static class PatientModule
{
    public static IEndpointRouteBuilder MapPatients(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(""/patients"");
        {|HIPAA301:group.MapGet(""/{id:int}"", GetAsync)|};
        group.MapGet(""/count"", () => 3);
        return routes;
    }

    private static async Task<Patient> GetAsync(int id, PatientStore store)
    {
        await Task.Yield();
        return store.Get(id);
    }

    public static void MapMore(IEndpointRouteBuilder routes) =>
        {|HIPAA301:routes.MapPost(""/more"", (Patient patient) => Results.Created(""/more/1"", null))|};
}

public class Outer
{
    public static class Routes
    {
        public static void Map(IEndpointRouteBuilder routes) =>
            {|HIPAA301:routes.MapGet(""/nested/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
    }

    public static void MapOuter(IEndpointRouteBuilder routes) =>
        {|HIPAA301:routes.MapGet(""/outer/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
}
" + Models);

    [Fact]
    public Task Reports_razor_page_models_that_show_phi() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Pages/Patients/Details.cshtml.cs", Usings + @"
using Microsoft.AspNetCore.Mvc.RazorPages;

public class DetailsModel : PageModel
{
    public Patient? Patient { get; private set; }

    public void {|HIPAA301:OnGet|}(int id) => Patient = new PatientStore().Get(id);
}

public class AboutModel : PageModel
{
    public string Text { get; private set; } = """";

    public void OnGet() => Text = ""About the clinic"";
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_endpoints_without_phi() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
app.MapGet(""/health"", () => Results.Ok(""healthy""));
app.MapGet(""/products/{id:int}"", (int id, ProductCatalog catalog) => catalog.Get(id));
app.MapGet(""/version"", () => new { Version = ""1.0"" });
app.MapControllers();
app.Run();

[ApiController]
[Route(""products"")]
public class ProductsController : ControllerBase
{
    [HttpGet(""{id:int}"")]
    public ActionResult<Product> Get(int id) => new ProductCatalog().Get(id);

    [HttpGet(""search"")]
    public IActionResult Search(string name) => Ok(new ProductCatalog().Get(1));
}
" + Models);

    [Fact]
    public Task Leaves_alone_phi_endpoints_covered_by_a_fallback_policy() => Verify.VerifyAsync(Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAuthorization(options =>
    options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireRole(""Clinician"").Build());
var app = builder.Build();
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.MapControllers();
app.Run();

public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);

    [Fact]
    public Task Leaves_alone_phi_endpoints_covered_by_set_fallback_policy_in_another_file() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireClaim(""scope"", ""clinical"").Build());
var app = builder.Build();
app.MapPatients();
app.Run();
"),
        ("/App/PatientEndpoints.cs", Usings + @"
public static class PatientEndpoints
{
    public static void MapPatients(this IEndpointRouteBuilder app) =>
        app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_phi_endpoints_in_groups_that_require_authorization() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
var api = app.MapGroup(""/api"").RequireAuthorization(""view:patients"");
var patients = api.MapGroup(""/patients"");
patients.MapGet(""/{id:int}"", (int id, PatientStore store) => store.Get(id));
var records = app.MapGroup(""/records"");
records.RequireAuthorization(""view:records"");
records.MapGet(""/{id:int}"", (int id, PatientStore store) => store.Get(id));
PatientRoutes.Map(app.MapGroup(""/v2"").RequireAuthorization(""view:patients""));
app.MapGet(""/me"", (PatientStore store) => store.Get(1)).RequireAuthorization(""view:self"");
app.Run();

static class PatientRoutes
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
}
" + Models);

    [Fact]
    public Task Leaves_alone_actions_covered_by_base_class_attribute_global_filter_or_map_controllers() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers(options => options.Filters.Add(new AuthorizeFilter(""view:patients"")));
var app = builder.Build();
app.MapControllers();
app.Run();
"),
        ("/App/Controllers.cs", Usings + @"
[Authorize(Policy = ""view:charts"")]
public abstract class ClinicalControllerBase : ControllerBase { }

public class ChartsController : ClinicalControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}

public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_actions_covered_by_require_authorization_on_map_controllers() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
app.MapControllers().RequireAuthorization(""view:patients"");
app.Run();

public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);

    [Fact]
    public Task Leaves_alone_page_models_covered_by_authorize_folder_or_attribute() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorPages(options => options.Conventions.AuthorizeFolder(""/Patients"", ""view:patients""));
var app = builder.Build();
app.MapRazorPages();
app.Run();
"),
        ("/App/Pages/Patients/Details.cshtml.cs", Usings + @"
using Microsoft.AspNetCore.Mvc.RazorPages;

public class DetailsModel : PageModel
{
    public Patient? Patient { get; private set; }

    public void OnGet(int id) => Patient = new PatientStore().Get(id);
}
"),
        ("/App/Pages/Records/Index.cshtml.cs", Usings + @"
using Microsoft.AspNetCore.Mvc.RazorPages;

[Authorize(Policy = ""view:records"")]
public class IndexModel : PageModel
{
    public IReadOnlyList<Patient> Patients { get; private set; } = new List<Patient>();

    public void OnGet() => Patients = new PatientStore().All();
}
" + Models),
    });

    [Fact]
    public Task Leaves_anonymous_endpoints_to_HIPAA302() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id)).AllowAnonymous();
app.Run();

public class PatientsController : ControllerBase
{
    [AllowAnonymous]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);
}
