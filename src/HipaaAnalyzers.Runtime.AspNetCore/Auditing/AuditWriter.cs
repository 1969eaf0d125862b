using System;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

/// <summary>Decides whether a request is audited and writes its one event.</summary>
internal sealed partial class AuditWriter
{
    private const int MaxHeaderValueLength = 256;

    private readonly HipaaAuditOptions _options;
    private readonly ClientAddressResolver _addresses;
    private readonly ILogger<AuditWriter> _logger;

    public AuditWriter(IOptions<HipaaAuditOptions> options, ClientAddressResolver addresses, ILogger<AuditWriter> logger)
    {
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.AnonymousUser))
        {
            throw new InvalidOperationException("HipaaAuditOptions.AnonymousUser must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(_options.UnidentifiedUser))
        {
            throw new InvalidOperationException("HipaaAuditOptions.UnidentifiedUser must not be empty.");
        }

        _addresses = addresses;
        _logger = logger;
    }

    /// <summary>Writes the request's event once; every later call awaits the same write.</summary>
    public Task EnsureWrittenAsync(HttpContext context, AuditScope scope)
        => scope.Write ??= WriteAsync(context, scope);

    private async Task WriteAsync(HttpContext context, AuditScope scope)
    {
        AuditAction? action = ResolveAction(context, scope);
        if (action is null)
        {
            scope.State = AuditScopeState.NotAudited;
            return;
        }

        (AuditOutcome outcome, string? reason) = Classify(context, scope);
        IPAddress? ip = _addresses.Resolve(context);
        AuditEvent auditEvent = new()
        {
            Timestamp = scope.Timestamp,
            User = UserOf(context.User),
            Action = action.Value,
            Resource = scope.Resource,
            Context = new AuditContext(ip?.ToString(), Header(context, _options.DeviceIdHeaderName), Header(context, _options.LocationHeaderName)),
            Outcome = outcome,
            Reason = reason,
        };

        try
        {
            IAuditSink sink = context.RequestServices.GetRequiredService<IAuditSink>();

            // Not the request's token: once the response is about to be sent the event must be stored, whether or
            // not the client is still there.
            await sink.WriteAsync(auditEvent, CancellationToken.None).ConfigureAwait(false);
            scope.State = AuditScopeState.Written;
        }
        catch (Exception ex)
        {
            scope.State = AuditScopeState.WriteFailed;
            LogWriteFailed(_logger, ex, (scope.Endpoint ?? context.GetEndpoint())?.DisplayName ?? "(no endpoint)");
            throw new AuditWriteException(
                "The audit event could not be written; the request was failed so that PHI is not served without an audit record.", ex);
        }
    }

    private AuditAction? ResolveAction(HttpContext context, AuditScope scope)
    {
        if (scope.ArmedAction is { } armed)
        {
            return armed;
        }

        // After an exception handler or status code page re-executed the pipeline, the current endpoint is the
        // error page's; the audited one is the endpoint the request was first routed to.
        Endpoint? endpoint = scope.Endpoint
            ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint
            ?? context.Features.Get<IStatusCodeReExecuteFeature>()?.Endpoint
            ?? context.GetEndpoint();
        if (endpoint is null)
        {
            return null;
        }

        AuditPhiAccessAttribute? metadata = AuditMetadata.Find(endpoint.Metadata);
        if (metadata is not null)
        {
            return AuditMetadata.ActionFor(metadata, context.Request.Method);
        }

        if (!_options.AuditAllEndpoints || IsPreflight(context))
        {
            return null;
        }

        return AuditMetadata.FromMethod(context.Request.Method);
    }

    private static bool IsPreflight(HttpContext context)
        => HttpMethods.IsOptions(context.Request.Method)
            && context.Request.Headers.ContainsKey(CorsConstants.AccessControlRequestMethod);

    private static (AuditOutcome Outcome, string? Reason) Classify(HttpContext context, AuditScope scope)
    {
        if (scope.Exception is { } exception)
        {
            return (AuditOutcome.Failure, "unhandled exception " + exception.GetType().FullName);
        }

        int status = context.Response.StatusCode;

        // Authorization may deny with a redirect (cookie authentication's login page), so its verdict wins over the status.
        if (scope.DenialReason is { } denial)
        {
            return (AuditOutcome.Denied, denial);
        }

        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            return (AuditOutcome.Denied, string.Create(CultureInfo.InvariantCulture, $"HTTP {status} returned by the endpoint"));
        }

        if (status >= 400)
        {
            Exception? handled = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            return (AuditOutcome.Failure, handled is not null
                ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status} after exception {handled.GetType().FullName}")
                : string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"));
        }

        return (AuditOutcome.Success, null);
    }

    private string UserOf(ClaimsPrincipal? user)
    {
        if (user is null)
        {
            return _options.AnonymousUser;
        }

        bool authenticated = false;
        foreach (ClaimsIdentity identity in user.Identities)
        {
            if (identity.IsAuthenticated)
            {
                authenticated = true;
                break;
            }
        }

        if (!authenticated)
        {
            return _options.AnonymousUser;
        }

        foreach (string claimType in _options.UserClaimTypes)
        {
            foreach (ClaimsIdentity identity in user.Identities)
            {
                if (!identity.IsAuthenticated)
                {
                    continue;
                }

                string? value = identity.FindFirst(claimType)?.Value;
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return Clean(value);
                }
            }
        }

        return _options.UnidentifiedUser;
    }

    private static string? Header(HttpContext context, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        StringValues values = context.Request.Headers[name];
        string? value = values.Count == 0 ? null : values[0];
        return string.IsNullOrWhiteSpace(value) ? null : Clean(value);
    }

    /// <summary>Client-supplied text: trimmed, control characters dropped, at most 256 characters.</summary>
    private static string Clean(string value)
    {
        string trimmed = value.Trim();
        if (trimmed.Length > MaxHeaderValueLength)
        {
            trimmed = trimmed[..MaxHeaderValueLength];
        }

        foreach (char c in trimmed)
        {
            if (char.IsControl(c))
            {
                System.Text.StringBuilder builder = new(trimmed.Length);
                foreach (char ch in trimmed)
                {
                    if (!char.IsControl(ch))
                    {
                        builder.Append(ch);
                    }
                }

                return builder.ToString();
            }
        }

        return trimmed;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The audit event for endpoint '{Endpoint}' could not be written; the request is answered with 500 and no body.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string endpoint);
}
