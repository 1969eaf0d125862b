using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA303PhiEndpointWithoutPolicyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Handlers under a plain RequireAuthorization() or [Authorize] that narrow access in their own code.</summary>
public partial class HIPAA303PhiEndpointWithoutPolicyTests
{
    /// <summary>An appointment service as the minimal API handlers below use it.</summary>
    private const string AppointmentService = @"
public interface IAppointmentService
{
    Task<Patient?> GetPatientAsync(Guid appointmentId, CancellationToken ct = default);
    Task<bool> BelongsToAsync(Guid appointmentId, string? patientId, CancellationToken ct = default);
}

public static class UserRoles
{
    public const string Admin = ""Admin"";
    public const string Doctor = ""Doctor"";
}
";

    [Fact]
    public Task Leaves_alone_a_handler_that_forbids_unless_a_helper_allows_access() => Verify.VerifyAsync(Usings + @"
using System.Security.Claims;
using System.Threading;

var app = WebApplication.Create(args);
var group = app.MapGroup(""/appointments"").RequireAuthorization();
group.MapGet(""/{id:guid}"", AppointmentEndpoints.GetAppointment);
group.MapGet(""/{id:guid}/patient"", AppointmentEndpoints.GetPatient);
app.Run();

public static class AppointmentEndpoints
{
    public static async Task<IResult> GetAppointment(Guid id, ClaimsPrincipal user, IAppointmentService service, CancellationToken ct)
    {
        if (!await CanAccessAppointmentAsync(user, id, service, ct)) return Results.Forbid();
        var patient = await service.GetPatientAsync(id, ct);
        return patient is null ? Results.NotFound() : Results.Ok(patient);
    }

    public static async Task<IResult> GetPatient(Guid id, ClaimsPrincipal user, IAppointmentService service, CancellationToken ct)
    {
        var patient = await LoadForAsync(user, id, service, ct);
        return Results.Ok(patient);
    }

    private static async Task<bool> CanAccessAppointmentAsync(ClaimsPrincipal user, Guid id, IAppointmentService s, CancellationToken ct)
    {
        if (user.IsInRole(UserRoles.Admin) || user.IsInRole(UserRoles.Doctor)) return true;
        var patientId = user.FindFirstValue(""sub"");
        return await s.BelongsToAsync(id, patientId, ct);
    }

    private static async Task<Patient?> LoadForAsync(ClaimsPrincipal user, Guid id, IAppointmentService s, CancellationToken ct)
    {
        if (!user.HasClaim(""scope"", ""clinical"")) throw new UnauthorizedAccessException();
        return await s.GetPatientAsync(id, ct);
    }
}
" + AppointmentService + Models);

    [Fact]
    public Task Leaves_alone_a_lambda_that_checks_roles_itself() => Verify.VerifyAsync(Usings + @"
using System.Security.Claims;

var app = WebApplication.Create(args);
var group = app.MapGroup(""/charts"").RequireAuthorization();
group.MapGet(""/{id:int}"", (int id, ClaimsPrincipal user, PatientStore store) =>
{
    if (!user.IsInRole(""Doctor"") && !user.IsInRole(""Nurse"") && !user.IsInRole(""Admin"")) return Results.Forbid();
    return Results.Ok(store.Get(id));
});
app.Run();
" + Models);

    [Fact]
    public Task Leaves_alone_an_action_that_calls_the_authorization_service_for_the_record() => Verify.VerifyAsync(Usings + @"
[Authorize]
public class RecordsController : Controller
{
    private readonly IAuthorizationService _authorizationService;
    private readonly PatientStore _store = new();

    public RecordsController(IAuthorizationService authorizationService) => _authorizationService = authorizationService;

    public async Task<IActionResult> Details(int id)
    {
        var record = _store.Get(id);
        var result = await _authorizationService.AuthorizeAsync(User, record, ""SameClinic"");
        if (!result.Succeeded) return Forbid();
        return View(record);
    }

    public IActionResult Chart(int id)
    {
        var record = _store.Get(id);
        return record.LastName.Length > 0 && User.Identity?.Name == ""dr.grey"" ? View(record) : StatusCode(403);
    }
}
" + Models);

    [Fact]
    public Task Reports_handlers_that_only_read_a_claim_return_not_found_or_refuse_anonymous_callers() => Verify.VerifyAsync(Usings + @"
using System.Security.Claims;
using Microsoft.Extensions.Logging;

var app = WebApplication.Create(args);
var group = app.MapGroup(""/charts"").RequireAuthorization();
{|HIPAA303:group.MapGet(""/{id:int}"", (int id, ClaimsPrincipal user, PatientStore store, ILogger<PatientStore> logger) =>
{
    logger.LogInformation(""Chart {Id} opened by {User}"", id, user.FindFirst(""sub"")?.Value);
    return Results.Ok(store.Get(id));
})|};
app.Run();

[Authorize]
public class PatientsController : ControllerBase
{
    private readonly PatientStore _store = new();

    public IActionResult {|HIPAA303:Get|}(int id)
    {
        var patient = _store.Get(id);
        if (patient is null) return NotFound();
        return Ok(patient);
    }

    public IActionResult {|HIPAA303:Mine|}(int id)
    {
        if (User.Identity?.IsAuthenticated != true) return Unauthorized();
        return Ok(_store.Get(id));
    }

    public ActionResult<Patient> {|HIPAA303:Chart|}(int id) => _store.Get(id);
}
" + Models);
}
