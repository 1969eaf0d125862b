using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

/// <summary>
/// The outermost middleware (installed by <c>AddHipaaAudit</c> through a startup filter). It gives every request an
/// <see cref="AuditScope"/>, holds the response back until the audit event is stored, writes a failure event when an
/// exception escapes, and answers 500 with no body when the event cannot be stored.
/// </summary>
internal sealed partial class HipaaAuditMiddleware
{
    private readonly RequestDelegate _next;
    private readonly AuditWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger<HipaaAuditMiddleware> _logger;

    public HipaaAuditMiddleware(RequestDelegate next, AuditWriter writer, TimeProvider time, ILogger<HipaaAuditMiddleware> logger)
    {
        _next = next;
        _writer = writer;
        _time = time;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<AuditScope>() is not null)
        {
            // A nested pipeline on the same request: the outer scope already audits it.
            await _next(context).ConfigureAwait(false);
            return;
        }

        PathString path = context.Request.PathBase.Add(context.Request.Path);
        AuditScope scope = new(_time.GetUtcNow(), path.HasValue ? path.ToString() : "/");
        IHttpResponseBodyFeature original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        AuditingResponseBodyFeature body = new(original, () => _writer.EnsureWrittenAsync(context, scope));
        context.Features.Set(scope);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        try
        {
            try
            {
                await _next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && scope.State == AuditScopeState.Pending)
            {
                // Record the failure, then let the exception go on to the server or host.
                scope.Exception = ex;
                await _writer.EnsureWrittenAsync(context, scope).ConfigureAwait(false);
                throw;
            }

            // Nothing written yet (204, 401, a redirect) or bytes held back: store the event, then let them go.
            await body.OpenAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (scope.State == AuditScopeState.WriteFailed && !context.Response.HasStarted)
        {
            LogAnsweredWith500(_logger, ex.GetType().FullName ?? ex.GetType().Name);
            body.Discard();
            context.Features.Set(original);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentLength = 0;
        }
        finally
        {
            context.Features.Set(original);
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "An audited request was answered with 500 because its audit event could not be stored (pipeline exception {ExceptionType}).")]
    private static partial void LogAnsweredWith500(ILogger logger, string exceptionType);
}
