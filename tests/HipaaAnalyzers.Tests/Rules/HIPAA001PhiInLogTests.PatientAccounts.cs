using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA001PhiInLogAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>
/// One Identity user type for staff and patients alike: its personal data is a patient's when the application puts
/// such users in a patient role or its patient-role endpoints work with them, except through a staff member.
/// </summary>
public partial class HIPAA001PhiInLogTests
{
    private const string SharedAccount = @"
public class ApplicationUser : Microsoft.AspNetCore.Identity.IdentityUser
{
    [PersonalData] public string FullName { get; set; } = """";
    public System.DateTime? DateOfBirth { get; set; }
    public string? Department { get; set; }
}
public class Doctor
{
    public int Id { get; set; }
    public ApplicationUser User { get; set; } = null!;
}
public static class UserRoles
{
    public const string Admin = ""Admin"";
    public const string Doctor = ""Doctor"";
    public const string Patient = ""Patient"";
}";

    [Fact]
    public Task Reports_a_shared_account_type_that_registration_puts_in_the_patient_role() => Verify.VerifyAsync(@"
using System.Threading.Tasks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
class RegisterModel
{
    private readonly UserManager<ApplicationUser> _userManager;
    private readonly ILogger<RegisterModel> _logger;
    public RegisterModel(UserManager<ApplicationUser> userManager, ILogger<RegisterModel> logger) { _userManager = userManager; _logger = logger; }

    public async Task Register(string email, string fullName)
    {
        var user = new ApplicationUser { UserName = email, Email = email, FullName = fullName };
        await _userManager.CreateAsync(user);
        await _userManager.AddToRoleAsync(user, UserRoles.Patient);
        _logger.LogInformation(""Registered {Name} <{Email}>"", {|HIPAA001:user.FullName|}, {|HIPAA001:user.Email|});
        _logger.LogInformation(""Born {Dob}"", {|HIPAA001:user.DateOfBirth|});
        _logger.LogInformation(""Account {Id} in {Department}"", user.Id, user.Department);
    }

    public void Assigned(ILogger log, Doctor doctor) =>
        log.LogInformation(""Doctor {Name} <{Email}>"", doctor.User.FullName, doctor.User.Email);
}" + SharedAccount);

    [Fact]
    public Task Reports_a_shared_account_type_used_by_a_patient_role_controller() => Verify.VerifyAsync(@"
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
[Authorize(Roles = ""Patient"")]
public class PortalController : ControllerBase
{
    private readonly UserManager<ApplicationUser> _users;
    private readonly ILogger<PortalController> _logger;
    public PortalController(UserManager<ApplicationUser> users, ILogger<PortalController> logger) { _users = users; _logger = logger; }

    [HttpGet(""me"")]
    public async Task<IActionResult> Me()
    {
        var user = await _users.GetUserAsync(User);
        _logger.LogInformation(""Profile of {Name}"", {|HIPAA001:user!.FullName|});
        return Ok(user.Id);
    }
}" + SharedAccount);

    [Fact]
    public Task A_shared_account_type_only_for_staff_roles_stays_personal_data() => Verify.VerifyAsync(@"
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
[Authorize(Roles = ""Doctor, Admin"")]
public class StaffController : ControllerBase
{
    private readonly UserManager<ApplicationUser> _users;
    private readonly ILogger<StaffController> _logger;
    public StaffController(UserManager<ApplicationUser> users, ILogger<StaffController> logger) { _users = users; _logger = logger; }

    public async Task Add(string email, string fullName)
    {
        var user = new ApplicationUser { UserName = email, Email = email, FullName = fullName };
        await _users.AddToRolesAsync(user, new[] { UserRoles.Doctor, UserRoles.Admin });
        _logger.LogInformation(""Added {Name} <{Email}>, born {Dob}"", user.FullName, user.Email, user.DateOfBirth);
    }
}" + SharedAccount);
}
