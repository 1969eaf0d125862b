using System.Threading.Tasks;
using Xunit;
using HipaaAnalyzers.Tests.Verifiers;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA004PhiInTelemetryOrUrlAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA004PhiInTelemetryOrUrlTests
{
    /// <summary>PHI that arrives in the URL of a request: route and query values of controllers and minimal APIs.</summary>
    public class Inbound
    {
        [Fact]
        public Task Reports_phi_in_the_route_or_query_of_controller_actions_and_minimal_apis() => Verify.VerifyFilesAsync(new[]
        {
            ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet(""/patients/search"", (string {|HIPAA004:ssn|}, PatientStore store) => store.All());
app.MapGet(""/patients/by-birth/{dateOfBirth}"", (DateTime {|HIPAA004:dateOfBirth|}) => 1);
app.Run();
"),
            ("/App/PatientsController.cs", Usings + @"
[ApiController, Route(""api/[controller]"")]
public class PatientsController : ControllerBase
{
    [HttpGet(""search"")]
    public IActionResult Search([FromQuery(Name = ""nationalId"")] string {|HIPAA004:nid|}) => Ok();

    [HttpGet(""by-ssn/{ssn}"")]
    public IActionResult BySsn(string {|HIPAA004:ssn|}) => Ok();

    [HttpGet(""by-mrn"")]
    public IActionResult ByMrn(string {|HIPAA004:medicalRecordNumber|}, int page) => Ok();
}
" + EndpointTestCode.Models),
        });

        [Fact]
        public Task Leaves_alone_ids_bodies_headers_services_and_form_posts() => Verify.VerifyFilesAsync(new[]
        {
            ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet(""/patients/{id}"", (int id, PatientStore store) => store.Get(id));
app.MapPost(""/patients/search"", ([FromBody] Patient patient) => 1);
app.MapGet(""/records/diagnosis/{diagnosisCode}"", (string diagnosisCode) => 1);
app.Run();
"),
            ("/App/Controllers.cs", Usings + @"
[ApiController, Route(""api/[controller]"")]
public class PatientsController : ControllerBase
{
    [HttpGet(""{id}"")]
    public IActionResult Get(int id, [FromHeader(Name = ""X-Ssn"")] string ssn) => Ok();

    [HttpPost(""search"")]
    public IActionResult Search([FromBody] Patient patient) => Ok();

    [HttpGet(""availability"")]
    public IActionResult Availability(int doctorId, DateTime appointmentDate) => Ok();

    [NonAction]
    public IActionResult Helper(string ssn) => Ok();
}

public class RegistrationController : Controller
{
    [HttpPost]
    public IActionResult Register(string ssn, string lastName) => View();
}
" + EndpointTestCode.Models),
        });
    }
}
