using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA301PhiEndpointWithoutAuthorizationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Actions that return a service or mediator result through a helper of the application, in the shapes real APIs use.</summary>
public partial class HIPAA301PhiEndpointWithoutAuthorizationTests
{
    private const string ResultTypes = @"
namespace Clinic
{
    public sealed class Result<T>
    {
        public bool IsSuccess { get; init; }
        public T? Value { get; init; }
        public string? Error { get; init; }
    }

    public record PatientDto(int Id, string FullName, DateTime DateOfBirth, string Ssn);
    public record SpecialtyDto(int Id, string Title);

    public interface IPatientService
    {
        Task<Result<PatientDto>> GetAsync(int id);
        Result<SpecialtyDto> Specialty(int id);
    }

    public static class ResultExtensions
    {
        public static IActionResult ToActionResult<T>(this Result<T> result) =>
            result.IsSuccess ? new OkObjectResult(result.Value) : new NotFoundResult();
    }

    public abstract class ApiControllerBase : ControllerBase
    {
        protected IActionResult HandleResult<T>(Result<T> result) => result.IsSuccess ? Ok(result.Value) : BadRequest(result.Error);
    }
}
";

    [Fact]
    public Task Reports_actions_that_return_phi_through_a_result_helper() => Verify.VerifyAsync(Usings + @"
[ApiController, Route(""api/patients"")]
public class PatientsController : ApiControllerBase
{
    private readonly IPatientService _patients;

    public PatientsController(IPatientService patients) => _patients = patients;

    [HttpGet(""{id}"")]
    public async Task<IActionResult> {|HIPAA301:Get|}(int id)
    {
        var result = await _patients.GetAsync(id);
        return HandleResult(result);
    }

    [HttpGet(""{id}/summary"")]
    public async Task<IActionResult> {|HIPAA301:Summary|}(int id) => (await _patients.GetAsync(id)).ToActionResult();
}
" + ResultTypes + Models);

    [Fact]
    public Task Leaves_alone_result_helpers_that_return_no_phi() => Verify.VerifyAsync(Usings + @"
[ApiController, Route(""api/specialties"")]
public class SpecialtiesController : ApiControllerBase
{
    private readonly IPatientService _service;

    public SpecialtiesController(IPatientService service) => _service = service;

    [HttpGet(""{id}"")]
    public IActionResult Get(int id) => HandleResult(_service.Specialty(id));

    [HttpGet(""{id}/view"")]
    public IActionResult View(int id) => _service.Specialty(id).ToActionResult();
}
" + ResultTypes + Models);
}
