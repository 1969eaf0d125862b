using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>When the audit store fails, the request fails: PHI is never served without an audit record.</summary>
public sealed class AuditSinkFailureTests
{
    private static Task<TestApp> StartAsync(FailingAuditSink sink, Action<WebApplication>? beforeRouting = null)
        => TestApp.StartAsync(
            services =>
            {
                services.AddSingleton<IAuditSink>(sink);
                services.AddHipaaAudit();
            },
            app =>
            {
                app.MapControllers();
                app.MapGet("/min/patients/{id:int}", (int id) => new PatientDto(id, SamplePhi.PatientName, SamplePhi.Ssn, SamplePhi.Diagnosis))
                    .AuditPhiAccess(AuditAction.Viewed);
                app.MapGet("/min/unaudited", () => "still served");
                app.MapGet("/error", () => Results.Problem("error page for " + SamplePhi.PatientName));
            },
            beforeRouting);

    [Theory]
    [InlineData("GET", "/api/patients/1")]          // MVC JSON through the response stream
    [InlineData("GET", "/api/patients/1/export")]   // streamed, flushed mid-way
    [InlineData("POST", "/api/patients")]           // 201 with a body
    [InlineData("DELETE", "/api/patients/1")]       // 204, no body at all
    [InlineData("GET", "/min/patients/1")]          // minimal API JSON
    [InlineData("GET", "/api/patients/1/throws")]   // the failure event cannot be written either
    public async Task Sink_failure_answers_500_with_an_empty_body(string method, string path)
    {
        FailingAuditSink sink = new();
        await using TestApp app = await StartAsync(sink);
        using HttpRequestMessage request = TestApp.Request(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(new NewPatient(SamplePhi.PostedName, SamplePhi.Ssn));
        }

        using HttpResponseMessage response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(response.Headers.Contains("Location"));
        Assert.Equal(1, sink.Attempts);
    }

    [Fact]
    public async Task Sink_failure_also_suppresses_the_exception_handler_page()
    {
        FailingAuditSink sink = new();
        await using TestApp app = await StartAsync(sink, a => a.UseExceptionHandler("/error"));
        using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/patients/1"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(SamplePhi.PatientName, body, StringComparison.Ordinal);
        Assert.DoesNotContain(SamplePhi.Ssn, body, StringComparison.Ordinal);
        Assert.Equal(1, sink.Attempts);
    }

    [Fact]
    public async Task Unaudited_endpoints_do_not_touch_the_sink()
    {
        FailingAuditSink sink = new();
        await using TestApp app = await StartAsync(sink);
        using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/min/unaudited"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("still served", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, sink.Attempts);
    }
}
