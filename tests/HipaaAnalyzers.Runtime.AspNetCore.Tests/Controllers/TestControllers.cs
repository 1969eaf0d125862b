using System;
using System.Text;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers;

/// <summary>PHI that must appear in responses and never in audit records.</summary>
public static class SamplePhi
{
    public const string PatientName = "Jane Roe";
    public const string Ssn = "123-45-6789";
    public const string Diagnosis = "E11.9 type 2 diabetes";
    public const string PostedName = "John Doe";
}

public sealed record PatientDto(int Id, string Name, string Ssn, string Diagnosis);

public sealed record NewPatient(string Name, string Ssn);

/// <summary>Audited at controller level as viewed; some actions override.</summary>
[ApiController]
[Route("api/patients")]
[AuditPhiAccess(AuditAction.Viewed)]
public sealed class PatientsController : ControllerBase
{
    [HttpGet("{id:int}")]
    public PatientDto Get(int id) => new(id, SamplePhi.PatientName, SamplePhi.Ssn, SamplePhi.Diagnosis);

    [HttpPost]
    [AuditPhiAccess]
    public IActionResult Create(NewPatient patient) => Created("/api/patients/7", new PatientDto(7, patient.Name, patient.Ssn, SamplePhi.Diagnosis));

    [HttpDelete("{id:int}")]
    [AuditPhiAccess(AuditAction.Deleted)]
    public IActionResult Delete(int id) => NoContent();

    [HttpGet("{id:int}/export")]
    [AuditPhiAccess(AuditAction.Exported)]
    public async Task Export(int id)
    {
        Response.ContentType = "text/csv";
        await Response.WriteAsync($"{id},{SamplePhi.PatientName},{SamplePhi.Ssn}\n");
        await Response.Body.FlushAsync();
        await Response.WriteAsync($"{id},{SamplePhi.Diagnosis}\n");
    }

    [HttpGet("{id:int}/forbidden")]
    public IActionResult Forbidden(int id) => Forbid();

    [HttpGet("{id:int}/missing")]
    public IActionResult Missing(int id) => NotFound();

    [HttpGet("{id:int}/throws")]
    public PatientDto Throws(int id) => throw new InvalidOperationException("database unavailable for " + SamplePhi.PatientName);
}

/// <summary>No audit attribute: audited only by conventions or AuditAllEndpoints.</summary>
[ApiController]
[Route("api/notes")]
public sealed class NotesController : ControllerBase
{
    [HttpGet("{id:int}")]
    public string Get(int id) => "note about " + SamplePhi.PatientName;

    [HttpPut("{id:int}")]
    public IActionResult Put(int id) => Ok("updated");

    [HttpGet("{id:int}/export")]
    [AuditPhiAccess(AuditAction.Exported)]
    public string Export(int id) => "export of " + SamplePhi.PatientName;
}

/// <summary>Protected by a permission policy from role definitions.</summary>
[ApiController]
[Route("api/studies")]
[Authorize(Policy = "view:medical_images")]
[AuditPhiAccess(AuditAction.Viewed)]
public sealed class StudiesController : ControllerBase
{
    [HttpGet("{id:int}/images")]
    public IActionResult Images(int id) => File(Encoding.UTF8.GetBytes("DICOM " + SamplePhi.PatientName), "application/dicom");
}
