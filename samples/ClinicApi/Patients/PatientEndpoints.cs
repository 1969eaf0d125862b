using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ClinicApi.Patients;

/// <summary>The /patients endpoints.</summary>
public static class PatientEndpoints
{
    public static RouteGroupBuilder MapPatientEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/patients");
        group.MapGet("/{id:int}", GetPatient).RequireAuthorization(); // HIPAA303, HIPAA401
        group.MapGet("/search", SearchBySsn); // HIPAA301, HIPAA401
        group.MapPost("/admit", AdmitAsync); // HIPAA301, HIPAA401
        return group;
    }

    private static IResult GetPatient(int id, PatientService patients)
    {
        try
        {
            return Results.Ok(PatientSummary.From(patients.GetById(id)));
        }
        catch (PatientNotFoundException)
        {
            return Results.NotFound();
        }
    }

    private static IResult SearchBySsn(string ssn, PatientService patients, ILoggerFactory loggers) // HIPAA004
    {
        var logger = loggers.CreateLogger("ClinicApi.Patients.Search");
        logger.LogInformation("Patient search by SSN {Ssn}", ssn); // HIPAA001

        var patient = patients.FindBySsn(ssn);
        return patient is null ? Results.NotFound() : Results.Ok(PatientSummary.From(patient));
    }

    private static async Task<IResult> AdmitAsync(
        AdmissionRequest request, ClaimsPrincipal user, PatientService patients, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ClinicApi.Patients.Admission");
        var userName = user.Identity?.Name ?? "unknown";
        var patient = await patients.AdmitAsync(request, cancellationToken);
        var summary = PatientSummary.From(patient);

        logger.LogInformation("{UserName} admitted patient {PatientId}", userName, patient.Id); // compliant
        logger.LogInformation("Admission complete: {Summary}", summary); // HIPAA002
        return Results.Created($"/patients/{patient.Id}", summary);
    }
}
