using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA302AnonymousPhiEndpointAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA302AnonymousPhiEndpointTests
{
    [Fact]
    public Task Reports_allow_anonymous_on_endpoints_that_take_phi_in_the_query_or_route() => Verify.VerifyAsync(Usings + @"
[ApiController, Route(""api/lookup"")]
public class LookupController : ControllerBase
{
    [AllowAnonymous, HttpGet(""eligibility"")]
    public IActionResult {|HIPAA302:Eligibility|}([FromQuery] string nationalId) => Ok(true);

    [AllowAnonymous, HttpGet(""status/{id}"")]
    public IActionResult Status(int id) => Ok(""ok"");
}

public static class PublicEndpoints
{
    public static void Map(WebApplication app)
    {
        {|HIPAA302:app.MapGet(""/public/by-birth/{dateOfBirth}"", (DateTime dateOfBirth) => 1)|}.AllowAnonymous();
    }
}
" + Models);
}
