using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.AspNetCore;
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
        var group = app.MapGroup("/patients").AuditPhiAccess();
        group.MapGet("/{id:int}", GetPatient).RequireAuthorization("view:patients");
        group.MapPost("/search", SearchBySsn).RequireAuthorization("view:patients");
        group.MapPost("/admit", AdmitAsync).RequireAuthorization("edit:patients");
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

    private static IResult SearchBySsn(SsnSearch search, PatientService patients, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ClinicApi.Patients.Search");
        logger.LogInformation("Patient search by SSN");

        var patient = patients.FindBySsn(search.Ssn);
        return patient is null ? Results.NotFound() : Results.Ok(PatientSummary.From(patient));
    }

    private static async Task<IResult> AdmitAsync(
        AdmissionRequest request, ClaimsPrincipal user, PatientService patients, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ClinicApi.Patients.Admission");
        var userName = user.Identity?.Name ?? "unknown";
        var patient = await patients.AdmitAsync(request, cancellationToken);
        var summary = PatientSummary.From(patient);

        logger.LogInformation("{UserName} admitted patient {PatientId}", userName, patient.Id);
        logger.LogInformation("Admission complete: {Summary}", summary);
        return Results.Created($"/patients/{patient.Id}", summary);
    }
}
