using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>Which requests are audited, and what their events hold, through real pipelines.</summary>
public sealed class AuditPipelineTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 30, 0, TimeSpan.Zero);

    private static async Task<(TestApp App, CollectingAuditSink Sink)> StartAsync(
        Action<WebApplication> endpoints,
        Action<HipaaAuditOptions>? options = null,
        Action<WebApplication>? beforeRouting = null)
    {
        CollectingAuditSink? sink = null;
        TestApp app = await TestApp.StartAsync(
            services =>
            {
                services.AddHttpContextAccessor();
                services.AddSingleton<TimeProvider>(new ManualTimeProvider(Now));
                services.AddSingleton<IAuditSink>(sp => sink = new CollectingAuditSink(sp.GetRequiredService<IHttpContextAccessor>()));
                services.AddHipaaAudit(options);
            },
            endpoints,
            beforeRouting);
        sink = (CollectingAuditSink)app.Services.GetRequiredService<IAuditSink>();
        return (app, sink);
    }

    private static void MapMinimal(WebApplication app)
    {
        app.MapGet("/min/patients/{id:int}", (int id) => new PatientDto(id, SamplePhi.PatientName, SamplePhi.Ssn, SamplePhi.Diagnosis))
            .AuditPhiAccess(AuditAction.Viewed);
        app.MapPost("/min/patients", (NewPatient p) => Results.Created("/min/patients/9", new PatientDto(9, p.Name, p.Ssn, SamplePhi.Diagnosis)))
            .AuditPhiAccess();
        app.MapGet("/min/unaudited/{id:int}", (int id) => "plain " + id);
        app.MapGet("/min/attributed/{id:int}", [AuditPhiAccess(AuditAction.Exported)] (int id) => "exported " + SamplePhi.PatientName);

        RouteGroupBuilder group = app.MapGroup("/min/records").AuditPhiAccess();
        group.MapGet("/{id:int}", (int id) => "record of " + SamplePhi.PatientName);
        group.MapPut("/{id:int}", (int id) => Results.Ok("saved"));
        group.MapDelete("/{id:int}", (int id) => Results.NoContent());
        group.MapGet("/{id:int}/export", (int id) => "export").AuditPhiAccess(AuditAction.Exported);
    }

    [Fact]
    public async Task Mvc_controller_attribute_audits_get_with_user_path_ip_device_and_success()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a => a.MapControllers(), o => o.LocationHeaderName = "X-Location");
        await using (app)
        {
            using HttpRequestMessage request = TestApp.Request(HttpMethod.Get, "/api/patients/123?ssn=123-45-6789&name=Jane", remoteIp: "203.0.113.9");
            request.Headers.Add("X-Device-Id", "tablet-42");
            request.Headers.Add("X-Location", "ward 3");
            using HttpResponseMessage response = await app.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(SamplePhi.PatientName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal(Now, e.Timestamp);
            Assert.Equal("u-1001", e.User);
            Assert.Equal(AuditAction.Viewed, e.Action);
            Assert.Equal("/api/patients/123", e.Resource);
            Assert.Equal(new AuditContext("203.0.113.9", "tablet-42", "ward 3"), e.Context);
            Assert.Equal(AuditOutcome.Success, e.Outcome);
            Assert.Null(e.Reason);
            Assert.False(Assert.Single(sink.ResponseStartedAtWrite));
        }
    }

    [Theory]
    [InlineData("DELETE", "/api/patients/5", AuditAction.Deleted, HttpStatusCode.NoContent)]
    [InlineData("GET", "/api/patients/5/export", AuditAction.Exported, HttpStatusCode.OK)]
    public async Task Action_attribute_overrides_the_controller_attribute(string method, string path, AuditAction expected, HttpStatusCode status)
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a => a.MapControllers());
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(new HttpMethod(method), path));
            Assert.Equal(status, response.StatusCode);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal(expected, e.Action);
            Assert.Equal(path, e.Resource);
            Assert.Equal(AuditOutcome.Success, e.Outcome);
        }
    }

    [Fact]
    public async Task Post_is_modified_and_neither_request_nor_response_body_reaches_the_event()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a =>
        {
            a.MapControllers();
            MapMinimal(a);
        });
        await using (app)
        {
            foreach (string path in new[] { "/api/patients", "/min/patients" })
            {
                using HttpRequestMessage request = TestApp.Request(HttpMethod.Post, path);
                request.Content = JsonContent.Create(new NewPatient(SamplePhi.PostedName, "987-65-4321"));
                using HttpResponseMessage response = await app.Client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Assert.Contains(SamplePhi.PostedName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(2, sink.Events.Count);
            Assert.All(sink.Events, e => Assert.Equal(AuditAction.Modified, e.Action));
            Assert.Equal(new[] { "/api/patients", "/min/patients" }, sink.Events.Select(e => e.Resource));
            string serialized = JsonSerializer.Serialize(sink.Events);
            Assert.DoesNotContain(SamplePhi.PostedName, serialized, StringComparison.Ordinal);
            Assert.DoesNotContain("987-65-4321", serialized, StringComparison.Ordinal);
            Assert.DoesNotContain(SamplePhi.Diagnosis, serialized, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("GET", "/min/patients/12", AuditAction.Viewed)]
    [InlineData("GET", "/min/attributed/12", AuditAction.Exported)]
    [InlineData("GET", "/min/records/12", AuditAction.Viewed)]
    [InlineData("PUT", "/min/records/12", AuditAction.Modified)]
    [InlineData("DELETE", "/min/records/12", AuditAction.Deleted)]
    [InlineData("GET", "/min/records/12/export", AuditAction.Exported)]
    public async Task Minimal_endpoints_and_route_groups_are_audited(string method, string path, AuditAction expected)
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(MapMinimal);
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(new HttpMethod(method), path, user: "dr-house"));
            Assert.True(response.IsSuccessStatusCode);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal(expected, e.Action);
            Assert.Equal(path, e.Resource);
            Assert.Equal("dr-house", e.User);
            Assert.Equal(AuditOutcome.Success, e.Outcome);
        }
    }

    [Fact]
    public async Task Endpoints_without_audit_metadata_write_nothing()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a =>
        {
            a.MapControllers();
            MapMinimal(a);
        });
        await using (app)
        {
            using HttpResponseMessage plain = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/min/unaudited/1"));
            using HttpResponseMessage notes = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/notes/1"));
            using HttpResponseMessage nowhere = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/no/such/route"));
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Equal(HttpStatusCode.OK, notes.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, nowhere.StatusCode);
            Assert.Empty(sink.Events);
        }
    }

    [Theory]
    [InlineData("GET", "/api/notes/3", AuditAction.Viewed)]
    [InlineData("PUT", "/api/notes/3", AuditAction.Modified)]
    [InlineData("GET", "/api/notes/3/export", AuditAction.Exported)] // the declared attribute beats the convention
    public async Task MapControllers_convention_audits_every_action(string method, string path, AuditAction expected)
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a => a.MapControllers().AuditPhiAccess());
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal(expected, e.Action);
        }
    }

    [Theory]
    [InlineData("GET", "/min/unaudited/4", AuditAction.Viewed)]
    [InlineData("GET", "/api/notes/4", AuditAction.Viewed)]
    [InlineData("PUT", "/api/notes/4", AuditAction.Modified)]
    [InlineData("DELETE", "/api/patients/4", AuditAction.Deleted)]
    [InlineData("GET", "/min/records/4/export", AuditAction.Exported)]
    [InlineData("GET", "/api/patients/4", AuditAction.Viewed)]
    public async Task AuditAllEndpoints_audits_every_endpoint_exactly_once(string method, string path, AuditAction expected)
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(
            a =>
            {
                a.MapControllers().AuditPhiAccess();
                MapMinimal(a);
            },
            o => o.AuditAllEndpoints = true);
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(new HttpMethod(method), path));
            Assert.True(response.IsSuccessStatusCode);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal(expected, e.Action);
            Assert.Equal(path, e.Resource);
        }
    }

    [Fact]
    public async Task AuditAllEndpoints_leaves_unmatched_requests_alone()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(MapMinimal, o => o.AuditAllEndpoints = true);
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/favicon.ico"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Empty(sink.Events);
        }
    }

    [Fact]
    public async Task Anonymous_requests_are_recorded_as_anonymous()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(MapMinimal);
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/min/patients/1", user: null));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("anonymous", Assert.Single(sink.Events).User);
        }
    }

    [Fact]
    public async Task User_claim_types_are_tried_in_the_configured_order()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(MapMinimal, o =>
        {
            o.UserClaimTypes.Clear();
            o.UserClaimTypes.Add(System.Security.Claims.ClaimTypes.Name);
        });
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/min/patients/1", user: "u-7"));
            Assert.Equal("name-of-u-7", Assert.Single(sink.Events).User);
        }
    }

    [Fact]
    public async Task Device_id_header_is_configurable_and_cleaned()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(MapMinimal, o => o.DeviceIdHeaderName = "X-Terminal");
        await using (app)
        {
            using HttpRequestMessage request = TestApp.Request(HttpMethod.Get, "/min/patients/1");
            request.Headers.Add("X-Device-Id", "ignored");
            request.Headers.TryAddWithoutValidation("X-Terminal", "  term-" + new string('9', 400));
            using HttpResponseMessage response = await app.Client.SendAsync(request);
            AuditContext context = Assert.Single(sink.Events).Context;
            Assert.StartsWith("term-999", context.DeviceId, StringComparison.Ordinal);
            Assert.Equal(256, context.DeviceId!.Length);
            Assert.Null(context.Location);
        }
    }

    [Fact]
    public async Task Path_base_is_part_of_the_resource()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(MapMinimal, beforeRouting: a => a.UsePathBase("/clinic"));
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/clinic/min/patients/8?q=Jane"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("/clinic/min/patients/8", Assert.Single(sink.Events).Resource);
        }
    }

    [Fact]
    public async Task Forbid_from_the_endpoint_is_denied_and_not_found_is_a_failure()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a => a.MapControllers());
        await using (app)
        {
            using HttpResponseMessage forbidden = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/patients/2/forbidden"));
            using HttpResponseMessage missing = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/patients/2/missing"));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Collection(
                sink.Events,
                e =>
                {
                    Assert.Equal(AuditOutcome.Denied, e.Outcome);
                    Assert.Equal("HTTP 403 returned by the endpoint", e.Reason);
                },
                e =>
                {
                    Assert.Equal(AuditOutcome.Failure, e.Outcome);
                    Assert.Equal("HTTP 404", e.Reason);
                });
        }
    }

    [Fact]
    public async Task Unhandled_exception_is_audited_as_failure_then_rethrown()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a => a.MapControllers());
        await using (app)
        {
            InvalidOperationException thrown = await Assert.ThrowsAsync<InvalidOperationException>(
                () => app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/patients/2/throws")));
            Assert.Contains("database unavailable", thrown.Message, StringComparison.Ordinal);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal(AuditOutcome.Failure, e.Outcome);
            Assert.Equal("unhandled exception System.InvalidOperationException", e.Reason);
            Assert.DoesNotContain(SamplePhi.PatientName, e.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Exception_handled_by_UseExceptionHandler_is_audited_once_against_the_original_endpoint()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(
            a =>
            {
                a.MapControllers();
                a.MapGet("/error", () => Results.Problem("Something went wrong"));
            },
            beforeRouting: a => a.UseExceptionHandler("/error"));
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/patients/2/throws"));
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal("/api/patients/2/throws", e.Resource);
            Assert.Equal(AuditAction.Viewed, e.Action);
            Assert.Equal(AuditOutcome.Failure, e.Outcome);
            Assert.Equal("HTTP 500 after exception System.InvalidOperationException", e.Reason);
        }
    }

    [Fact]
    public async Task Streamed_response_is_audited_before_its_first_byte()
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a => a.MapControllers());
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/patients/3/export"));
            string body = await response.Content.ReadAsStringAsync();
            Assert.Equal($"3,{SamplePhi.PatientName},{SamplePhi.Ssn}\n3,{SamplePhi.Diagnosis}\n", body);
            Assert.Equal(AuditAction.Exported, Assert.Single(sink.Events).Action);
            Assert.False(Assert.Single(sink.ResponseStartedAtWrite));
        }
    }

    [Theory]
    [InlineData("/pipe/flushed")]
    [InlineData("/pipe/held")]
    [InlineData("/pipe/started")]
    public async Task Pipe_writer_responses_are_complete_and_audited_before_they_start(string path)
    {
        (TestApp app, CollectingAuditSink sink) = await StartAsync(a =>
        {
            a.MapGet("/pipe/flushed", async (HttpContext context) =>
            {
                context.Response.BodyWriter.Write("part one;"u8);
                await context.Response.BodyWriter.FlushAsync();
                context.Response.BodyWriter.Write("part two"u8);
            }).AuditPhiAccess();
            a.MapGet("/pipe/held", (HttpContext context) =>
            {
                context.Response.BodyWriter.Write("part one;"u8);
                context.Response.BodyWriter.Write("part two"u8);
                return Task.CompletedTask;
            }).AuditPhiAccess();
            a.MapGet("/pipe/started", async (HttpContext context) =>
            {
                await context.Response.StartAsync();
                context.Response.BodyWriter.Write("part one;"u8);
                await context.Response.Body.WriteAsync("part two"u8.ToArray());
            }).AuditPhiAccess();
        });
        await using (app)
        {
            using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, path));
            Assert.Equal("part one;part two", await response.Content.ReadAsStringAsync());
            Assert.Single(sink.Events);
            Assert.False(Assert.Single(sink.ResponseStartedAtWrite));
        }
    }

    [Fact]
    public async Task Attribute_without_AddHipaaAudit_refuses_the_request()
    {
        TestApp app = await TestApp.StartAsync(_ => { }, a => a.MapControllers());
        await using (app)
        {
            InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(
                () => app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/api/patients/1")));
            Assert.Contains("AddHipaaAudit", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Convention_without_AddHipaaAudit_fails_at_startup()
    {
        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestApp.StartAsync(_ => { }, a => a.MapGet("/x", () => "x").AuditPhiAccess()));
        Assert.Contains("AddHipaaAudit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_redirect_of_a_denied_request_is_audited_as_denied()
    {
        CollectingAuditSink sink = new();
        await using TestApp app = await TestApp.StartAsync(
            services =>
            {
                services.AddAuthentication().AddCookie("Cookies");
                services.AddSingleton<IAuditSink>(sink);
                services.AddHipaaAudit();
            },
            a => a.MapGet("/portal/records/{id:int}", (int id) => "record " + id)
                .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder("Cookies").RequireAuthenticatedUser().Build())
                .AuditPhiAccess());
        using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/portal/records/4", user: null));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        AuditEvent e = Assert.Single(sink.Events);
        Assert.Equal(AuditOutcome.Denied, e.Outcome);
        Assert.Equal("not authenticated", e.Reason);
    }

    [Fact]
    public async Task Empty_user_placeholders_fail_at_startup()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => StartAsync(MapMinimal, o => o.AnonymousUser = " "));
        Assert.Equal("HipaaAuditOptions.AnonymousUser must not be empty.", Assert.Single(ex.Problems));
    }

    [Fact]
    public async Task AddHipaaAudit_without_a_sink_fails_at_startup()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(
            () => TestApp.StartAsync(s => s.AddHipaaAudit(), a => a.MapControllers()));
        Assert.Equal(
            "services.AddHipaaAudit(...) needs an IAuditSink service to store audit events: register one, for example " +
            "builder.Services.AddHipaaAuditFileSink(\"/var/log/clinic/audit.jsonl\") (namespace HipaaAnalyzers.Runtime), before the host starts.",
            Assert.Single(ex.Problems));
    }
}
