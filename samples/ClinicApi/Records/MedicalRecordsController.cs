using ClinicApi.Patients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ClinicApi.Records;

/// <summary>The /records endpoints: a patient's chart for the clinicians who treat them.</summary>
[ApiController]
[Route("records")]
[Authorize(Policy = "view:records")] // HIPAA902
public sealed class MedicalRecordsController : ControllerBase
{
    private readonly PatientService _patients;

    public MedicalRecordsController(PatientService patients) => _patients = patients;

    // Added to try the page without signing in, and never taken out again.
#if DEBUG
    [AllowAnonymous]
#endif
    [HttpGet("{id:int}")]
    public ActionResult<PatientSummary> Get(int id) // HIPAA302, HIPAA401
    {
        try
        {
            return PatientSummary.From(_patients.GetById(id));
        }
        catch (PatientNotFoundException)
        {
            return NotFound();
        }
    }
}
