using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;

namespace ClinicApi.Records;

/// <summary>What the view:records policy requires.</summary>
public sealed class RecordsAccessRequirement : IAuthorizationRequirement
{
}

/// <summary>Clinicians may read records; the administrator account was let in for a migration.</summary>
public sealed class RecordsAccessHandler : AuthorizationHandler<RecordsAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecordsAccessRequirement requirement)
    {
        if (context.User.IsInRole("Clinician") || context.User.Identity?.Name == "admin") // HIPAA304
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
