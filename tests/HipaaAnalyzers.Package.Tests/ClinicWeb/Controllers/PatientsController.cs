using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicWeb.Data;
using ClinicWeb.Models;
using ClinicWeb.Services;
using Microsoft.AspNetCore.Mvc;

namespace ClinicWeb.Controllers;

[ApiController]
[Route("patients")]
public class PatientsController(ClinicDbContext db, DocumentProtector protector, ILogger<PatientsController> logger) : ControllerBase
{
    [HttpGet("{id:guid}")]
    public async Task<ActionResult<Patient>> Get(Guid id)
    {
        var patient = await db.Patients.FindAsync(id);
        if (patient is null)
        {
            return NotFound();
        }

        logger.LogInformation("Opened chart of patient {Ssn}", patient.Ssn);
        Activity.Current?.SetTag("patient.ssn", patient.Ssn);
        Response.Headers.ETag = "\"" + Fingerprint(patient) + "\"";
        return patient;
    }

    [HttpPost]
    public async Task<ActionResult<Patient>> Create(NewPatient request)
    {
        if (request.Ssn.Length != 11)
        {
            throw new ArgumentException($"SSN {request.Ssn} is not in the form 123-45-6789");
        }

        var patient = new Patient { Name = request.Name, Ssn = request.Ssn, DateOfBirth = request.DateOfBirth };
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        logger.LogInformation("Registered patient {@Patient}", patient);
        return CreatedAtAction(nameof(Get), new { id = patient.Id }, patient);
    }

    [HttpGet("{id:guid}/export")]
    public async Task<IActionResult> Export(Guid id)
    {
        var patient = await db.Patients.FindAsync(id);
        if (patient is null)
        {
            return NotFound();
        }

        var document = protector.Protect(JsonSerializer.SerializeToUtf8Bytes(patient));
        return File(document, "application/octet-stream", "patient.bin");
    }

    private static string Fingerprint(Patient patient)
    {
        using var md5 = MD5.Create();
        return Convert.ToHexString(md5.ComputeHash(Encoding.UTF8.GetBytes(patient.Id.ToString("N"))));
    }
}
