using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA303PhiEndpointWithoutPolicyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA303PhiEndpointWithoutPolicyTests
{
    [Fact]
    public Task Reports_phi_actions_protected_by_authorize_alone() => Verify.VerifyAsync(Usings + @"
[Authorize]
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> {|HIPAA303:Get|}(int id) => new PatientStore().Get(id);

    public ActionResult<Product> Product(int id) => new ProductCatalog().Get(id);
}

[Authorize]
public abstract class SecureControllerBase : ControllerBase { }

public class ChartsController : SecureControllerBase
{
    [Authorize]
    public ActionResult<Patient> {|HIPAA303:Get|}(int id) => new PatientStore().Get(id);
}
" + Models);

    [Fact]
    public Task Reports_minimal_endpoints_and_groups_that_require_only_authentication() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
{|HIPAA303:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.RequireAuthorization();
var group = app.MapGroup(""/records"").RequireAuthorization(policy => policy.RequireAuthenticatedUser());
{|HIPAA303:group.MapGet(""/"", (PatientStore store) => store.All())|};
app.Run();
" + Models);

    [Fact]
    public Task Reports_phi_endpoints_under_a_fallback_policy_or_global_filter_that_requires_only_authentication() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAuthorization(options =>
    options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
builder.Services.AddControllers(options =>
    options.Filters.Add(new AuthorizeFilter(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())));
var app = builder.Build();
{|HIPAA303:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
app.MapControllers();
app.Run();
"),
        ("/App/PatientsController.cs", Usings + @"
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> {|HIPAA303:Get|}(int id) => new PatientStore().Get(id);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_policies_roles_narrowing_default_policies_and_unprotected_endpoints() => Verify.VerifyAsync(Usings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet(""/a/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(""view:patients"");
app.MapGet(""/b/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(p => p.RequireRole(""Clinician""));
app.MapGroup(""/c"").RequireAuthorization(""view:records"").MapGet(""/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization();
app.MapGet(""/open/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.MapGet(""/health"", () => ""ok"").RequireAuthorization();
app.MapGet(""/d/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(Policies.ViewPatients);
app.MapGet(""/e/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(Policies.ViewCharts);
app.Run();

static class Policies
{
    public const string ViewPatients = ""view:patients"";
    public static readonly string ViewCharts = ""view:"" + ""charts"";
}

[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    [Authorize]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}

[Authorize(Roles = ""Doctor,Nurse"")]
public class ChartsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);

    [Fact]
    public Task Leaves_alone_authorize_when_the_default_policy_requires_a_role() => Verify.VerifyAsync(Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAuthorizationBuilder()
    .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(""Clinician"").Build());
var app = builder.Build();
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization();
app.Run();

[Authorize]
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);
}
