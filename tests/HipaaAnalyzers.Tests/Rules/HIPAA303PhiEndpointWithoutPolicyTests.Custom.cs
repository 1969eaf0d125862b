using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA303PhiEndpointWithoutPolicyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Authorization attributes and filters an application declares itself.</summary>
public partial class HIPAA303PhiEndpointWithoutPolicyTests
{
    /// <summary>Custom [Authorize] subclasses and an authorization filter attribute, as real apps write them.</summary>
    internal const string CustomAuthorization = @"
namespace Clinic.Security
{
    using System.Threading.Tasks;
    using Microsoft.AspNetCore.Authorization;
    using Microsoft.AspNetCore.Mvc.Filters;

    public enum PermissionEnum { ReadPatient, CreatePatient, ReadChart }

    public sealed class HasPermissionAttribute : AuthorizeAttribute
    {
        public HasPermissionAttribute(PermissionEnum permission) : base(policy: permission.ToString()) { }
    }

    public sealed class RequirePermissionAttribute : AuthorizeAttribute
    {
        public RequirePermissionAttribute(PermissionEnum permission) : base($""Permission:{permission}"") { }
    }

    public sealed class ClinicianOnlyAttribute : AuthorizeAttribute
    {
        public ClinicianOnlyAttribute() { Roles = ""Doctor,Nurse""; }
    }

    public sealed class AreaPolicyAttribute : AuthorizeAttribute
    {
        public AreaPolicyAttribute(string area) { Policy = PolicyNames.For(area); }
    }

    public static class PolicyNames
    {
        public static string For(string area) => ""area:"" + area;
    }

    public sealed class MyAuthorizeAttribute : AuthorizeAttribute { }

    public sealed class RequireClinicianAccessAttribute : System.Attribute, IAsyncAuthorizationFilter
    {
        public Task OnAuthorizationAsync(AuthorizationFilterContext context) => Task.CompletedTask;
    }

    public sealed class ClinicianAuthorizationFilter : IAuthorizationFilter
    {
        public void OnAuthorization(AuthorizationFilterContext context) { }
    }
}
";

    [Fact]
    public Task Leaves_alone_custom_authorize_attributes_that_set_a_policy_or_roles() => Verify.VerifyAsync(Usings + @"
using Clinic.Security;

var app = WebApplication.Create(args);
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))
   .RequireAuthorization(new HasPermissionAttribute(PermissionEnum.ReadPatient));
app.Run();

public class PatientsController : ControllerBase
{
    [HasPermission(PermissionEnum.ReadPatient)]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpPost]
    [RequirePermission(PermissionEnum.CreatePatient)]
    public ActionResult<Patient> Create(Patient patient) => patient;

    [ClinicianOnly]
    public ActionResult<Patient> Chart(int id) => new PatientStore().Get(id);

    [AreaPolicy(""charts"")]
    public ActionResult<Patient> Area(int id) => new PatientStore().Get(id);
}
" + CustomAuthorization + Models);

    [Fact]
    public Task Leaves_alone_an_authorization_filter_attribute_or_global_authorization_filter() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + @"
using Clinic.Security;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers(o => o.Filters.Add<ClinicianAuthorizationFilter>());
var app = builder.Build();
app.MapControllers();
app.Run();
"),
        ("/App/Controllers.cs", Usings + @"
using Clinic.Security;

[RequireClinicianAccess]
public class ChartsController : ControllerBase
{
    [Authorize]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}

[Authorize]
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + CustomAuthorization + Models),
    });

    [Fact]
    public Task Reports_a_custom_authorize_attribute_that_sets_nothing() => Verify.VerifyAsync(Usings + @"
using Clinic.Security;

public class PatientsController : ControllerBase
{
    [MyAuthorize]
    public ActionResult<Patient> {|HIPAA303:Get|}(int id) => new PatientStore().Get(id);
}
" + CustomAuthorization + Models);
}
