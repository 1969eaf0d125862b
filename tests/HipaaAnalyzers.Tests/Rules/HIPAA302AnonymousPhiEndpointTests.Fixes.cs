using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Rules;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA302AnonymousPhiEndpointAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA302AnonymousPhiEndpointTests
{
    /// <summary>The code fix: the anonymous override goes, with the #if DEBUG block that only held it.</summary>
    public class Fixes
    {
        [Fact]
        public Task Removes_attributes_and_if_debug_blocks() => Verify.VerifyFixAsync<HIPAA302AnonymousPhiEndpointFixer>(Usings + @"
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    [AllowAnonymous]
    public ActionResult<Patient> {|HIPAA302:Get|}(int id) => new PatientStore().Get(id);

    [HttpGet, AllowAnonymous]
    public ActionResult<Patient> {|HIPAA302:Find|}(int id) => new PatientStore().Get(id);

#if DEBUG
    [AllowAnonymous]
#endif
    public ActionResult<Patient> {|HIPAA302:Chart|}(int id) => new PatientStore().Get(id);
}
" + Models, Usings + @"
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpGet]
    public ActionResult<Patient> Find(int id) => new PatientStore().Get(id);

    public ActionResult<Patient> Chart(int id) => new PatientStore().Get(id);
}
" + Models, "HIPAA302.RemoveAllowAnonymous");

        [Fact]
        public Task Removes_allow_anonymous_calls_on_endpoints_and_groups_once() => Verify.VerifyFixAsync<HIPAA302AnonymousPhiEndpointFixer>(Usings + @"
var app = WebApplication.Create(args);
{|HIPAA302:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.RequireAuthorization(""view:patients"").AllowAnonymous();
var open = app.MapGroup(""/open"");
open.AllowAnonymous();
{|HIPAA302:open.MapGet(""/patients"", (PatientStore store) => store.All())|};
{|HIPAA302:open.MapGet(""/charts/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
{|HIPAA302:app.MapGet(""/records/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.WithMetadata(new AllowAnonymousAttribute());
app.Run();
" + Models, Usings + @"
var app = WebApplication.Create(args);
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id)).RequireAuthorization(""view:patients"");
var open = app.MapGroup(""/open"");
open.MapGet(""/patients"", (PatientStore store) => store.All());
open.MapGet(""/charts/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.MapGet(""/records/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.Run();
" + Models, "HIPAA302.RemoveAllowAnonymous");
    }
}
