using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;

namespace ClinicApi.Records;

/// <summary>What the view:records policy requires.</summary>
public sealed class RecordsAccessRequirement : IAuthorizationRequirement
{
}

/// <summary>Clinicians may read records; nobody else, whatever their account is called.</summary>
public sealed class RecordsAccessHandler : AuthorizationHandler<RecordsAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecordsAccessRequirement requirement)
    {
        if (context.User.IsInRole("Clinician"))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
