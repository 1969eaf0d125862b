using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA401PhiEndpointWithoutAuditAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>A patient portal's endpoint that returns the signed-in patient's account returns PHI; a staff directory's does not.</summary>
public partial class HIPAA401PhiEndpointWithoutAuditTests
{
    private const string PortalAccount = @"
public class ApplicationUser : Microsoft.AspNetCore.Identity.IdentityUser
{
    [PersonalData] public string FullName { get; set; } = """";
    public System.DateTime? DateOfBirth { get; set; }
}";

    [Fact]
    public Task Reports_a_patient_portal_endpoint_that_returns_the_patients_account() => Verify.VerifyAsync(@"
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
[ApiController]
[Route(""api/portal"")]
[Authorize(Roles = ""Patient"")]
public class PortalController : ControllerBase
{
    private readonly UserManager<ApplicationUser> _users;
    public PortalController(UserManager<ApplicationUser> users) => _users = users;

    [HttpGet(""me"")]
    public async Task<ActionResult<ApplicationUser>> {|#0:Me|}() => (await _users.GetUserAsync(User))!;
}" + PortalAccount,
        Verify.Diagnostic("HIPAA401").WithLocation(0).WithArguments(
            "GET /api/portal/me", "returns ApplicationUser (carries ApplicationUser.FullName ([PersonalData]))"));

    [Fact]
    public Task A_staff_directory_endpoint_that_returns_accounts_is_not_reported() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
[ApiController]
[Route(""api/staff"")]
[Authorize(Roles = ""Admin"")]
public class StaffController : ControllerBase
{
    private readonly UserManager<ApplicationUser> _users;
    public StaffController(UserManager<ApplicationUser> users) => _users = users;

    [HttpGet]
    public List<ApplicationUser> All() => _users.Users.ToList();
}" + PortalAccount);
}
