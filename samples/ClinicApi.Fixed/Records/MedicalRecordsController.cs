using ClinicApi.Patients;
using HipaaAnalyzers.Runtime.AspNetCore;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace ClinicApi.Records;

/// <summary>The /records endpoints: a patient's chart for the clinicians who treat them.</summary>
[ApiController]
[Route("records")]
[Authorize(Policy = "view:records")]
public sealed class MedicalRecordsController : ControllerBase
{
    private readonly PatientService _patients;

    public MedicalRecordsController(PatientService patients) => _patients = patients;

    [HttpGet("{id:int}")]
    [AuditPhiAccess(AuditAction.Viewed)]
    public ActionResult<PatientSummary> Get(int id)
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
