using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA401PhiEndpointWithoutAuditAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA401PhiEndpointWithoutAuditTests
{
    [Fact]
    public Task Reports_phi_endpoints_that_record_no_audit_event() => Verify.VerifyAsync(Usings + @"
var app = WebApplication.Create(args);
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.RequireAuthorization(""view:patients"");
{|HIPAA401:app.MapDelete(""/patients/by-mrn/{mrn}"", (string mrn) => Results.NoContent())|};
app.MapGet(""/health"", () => ""ok"");
app.Run();

[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> {|HIPAA401:Get|}(int id) => new PatientStore().Get(id);

    public ActionResult<Product> Product(int id) => new ProductCatalog().Get(id);
}
" + Models);

    [Fact]
    public Task Leaves_alone_endpoints_audited_by_attribute_on_action_controller_or_base_class() => Verify.VerifyAsync(Usings + @"
using HipaaAnalyzers.Runtime.AspNetCore;
using HipaaAnalyzers.Runtime.Audit;

public class PatientsController : ControllerBase
{
    [AuditPhiAccess(AuditAction.Viewed)]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}

[AuditPhiAccess(AuditAction.Viewed)]
public class ChartsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}

[AuditPhiAccess]
public abstract class AuditedControllerBase : ControllerBase { }

public class RecordsController : AuditedControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);

    [Fact]
    public Task Leaves_alone_endpoints_audited_by_group_endpoint_or_map_controllers() => Verify.VerifyAsync(Usings + @"
using HipaaAnalyzers.Runtime.AspNetCore;
using HipaaAnalyzers.Runtime.Audit;

var app = WebApplication.Create(args);
var patients = app.MapGroup(""/patients"").AuditPhiAccess();
patients.MapGet(""/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.MapGet(""/charts/{id:int}"", (int id, PatientStore store) => store.Get(id)).AuditPhiAccess(AuditAction.Viewed);
app.MapControllers().AuditPhiAccess();
app.Run();

public class RecordsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);

    [Fact]
    public Task Leaves_alone_every_endpoint_when_the_global_audit_option_is_on() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + @"
using HipaaAnalyzers.Runtime.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHipaaAudit(o => o.AuditAllEndpoints = true);
var app = builder.Build();
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.MapControllers();
app.Run();
"),
        ("/App/RecordsController.cs", Usings + @"
public class RecordsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_every_endpoint_when_the_options_are_configured_to_audit_all() => Verify.VerifyAsync(Usings + @"
using HipaaAnalyzers.Runtime.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHipaaAudit();
builder.Services.Configure<HipaaAuditOptions>(options => options.AuditAllEndpoints = true);
var app = builder.Build();
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.Run();
" + Models);

    [Fact]
    public Task Leaves_alone_controllers_under_a_global_audit_filter_but_not_minimal_endpoints() => Verify.VerifyAsync(Usings + @"
using HipaaAnalyzers.Runtime.AspNetCore;
using HipaaAnalyzers.Runtime.Audit;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers(options => options.Filters.Add(new AuditPhiAccessAttribute(AuditAction.Viewed)));
var app = builder.Build();
app.MapControllers();
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
app.Run();

public class RecordsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models);

    [Fact]
    public Task Reports_when_the_global_audit_option_is_off() => Verify.VerifyAsync(Usings + @"
using HipaaAnalyzers.Runtime.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHipaaAudit(o => o.AuditAllEndpoints = false);
var app = builder.Build();
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
app.Run();
" + Models);
}
