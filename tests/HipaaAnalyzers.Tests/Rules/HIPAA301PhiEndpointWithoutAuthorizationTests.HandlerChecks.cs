using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Checks in the handler's own code are not ASP.NET Core authorization.</summary>
public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    [Fact]
    public Task Reports_handlers_that_check_access_in_code_without_authorization() => Verify.VerifyAsync(Usings + @"
using System.Security.Claims;

var app = WebApplication.Create(args);
{|HIPAA301:app.MapGet(""/charts/{id:int}"", (int id, ClaimsPrincipal user, PatientStore store) =>
    user.IsInRole(""Doctor"") ? Results.Ok(store.Get(id)) : Results.Forbid())|};
app.Run();

public class RecordsController : Controller
{
    private readonly IAuthorizationService _authorizationService;
    private readonly PatientStore _store = new();

    public RecordsController(IAuthorizationService authorizationService) => _authorizationService = authorizationService;

    public async Task<IActionResult> {|HIPAA301:Details|}(int id)
    {
        var record = _store.Get(id);
        var result = await _authorizationService.AuthorizeAsync(User, record, ""SameClinic"");
        if (!result.Succeeded) return Forbid();
        return View(record);
    }
}
" + Models);
}
