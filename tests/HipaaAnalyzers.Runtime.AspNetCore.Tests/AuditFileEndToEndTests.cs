using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>
/// Real requests, the real file sink and the chain verifier: what lands in the audit log, that it verifies, and that
/// one flipped byte is caught at its record.
/// </summary>
public sealed class AuditFileEndToEndTests : IDisposable
{
    private const string Roles = """
        [{"role":"radiologist","permissions":["view:medical_images"],
          "constraints":{"temporal":"08:00-18:00 Mon-Fri","ip_range":["192.168.1.0/24"]}}]
        """;

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // Friday 2026-03-06 17:59 in New York (EST, UTC-5).
    private static readonly DateTimeOffset FridayEvening = new(2026, 3, 6, 22, 59, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("hipaa-audit-e2e-").FullName;
    private readonly AuditSigningKey _key = AuditSigningKey.Generate("e2e-key");

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<TestApp> StartAsync(string logPath, ManualTimeProvider clock, Action<HipaaAuditOptions>? audit = null)
        => await TestApp.StartAsync(
            services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton(_key);
                services.AddHipaaAuditFileSink(logPath, o => o.CheckpointEveryRecords = 5);
                services.AddHipaaAudit(o =>
                {
                    o.TrustedProxies.Add("10.0.0.7");
                    o.LocationHeaderName = "X-Location";
                    audit?.Invoke(o);
                });
                services.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork);
            },
            app =>
            {
                app.MapControllers();
                app.MapGet("/min/patients/{id:int}", (int id) => new PatientDto(id, SamplePhi.PatientName, SamplePhi.Ssn, SamplePhi.Diagnosis))
                    .AuditPhiAccess(AuditAction.Viewed);
                RouteGroupBuilder records = app.MapGroup("/min/records").AuditPhiAccess();
                records.MapPut("/{id:int}", (int id, NewPatient body) => Results.Ok(body));
                app.MapGet("/min/images/{id:int}", (int id) => "image of " + SamplePhi.PatientName)
                    .RequireAuthorization("view:medical_images")
                    .AuditPhiAccess(AuditAction.Viewed);
                app.MapGet("/min/unmarked/{id:int}", (int id) => "unmarked " + SamplePhi.PatientName);
            });

    private static HttpRequestMessage Request(HttpMethod method, string path, string user, string remoteIp, string? roles = null, object? body = null)
    {
        HttpRequestMessage request = TestApp.Request(method, path, user: user, roles: roles, remoteIp: remoteIp);
        request.Headers.Add("X-Device-Id", "ws-" + user);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private static List<JsonElement> Events(string path)
        => File.ReadAllLines(path)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .Where(record => !record.TryGetProperty("type", out _))
            .ToList();

    private static string? Str(JsonElement element, string name)
        => element.TryGetProperty(name, out JsonElement value) ? value.GetString() : null;

    [Fact]
    public async Task Requests_produce_the_expected_records_and_the_chain_verifies()
    {
        string log = Path.Combine(_directory, "audit.jsonl");
        ManualTimeProvider clock = new(FridayEvening);
        TestApp app = await StartAsync(log, clock);
        await using (app)
        {
            HttpClient client = app.Client;
            async Task<HttpStatusCode> Send(HttpRequestMessage request)
            {
                using (request)
                using (HttpResponseMessage response = await client.SendAsync(request))
                {
                    return response.StatusCode;
                }
            }

            Assert.Equal(HttpStatusCode.OK, await Send(Request(HttpMethod.Get, "/api/patients/123?ssn=123-45-6789", "dr-1", "203.0.113.5")));
            Assert.Equal(HttpStatusCode.Created, await Send(Request(HttpMethod.Post, "/api/patients", "dr-1", "203.0.113.5", body: new NewPatient(SamplePhi.PostedName, "987-65-4321"))));
            Assert.Equal(HttpStatusCode.NoContent, await Send(Request(HttpMethod.Delete, "/api/patients/123", "dr-2", "203.0.113.6")));
            Assert.Equal(HttpStatusCode.OK, await Send(Request(HttpMethod.Get, "/min/patients/77", "nurse-4", "10.0.0.7")));
            HttpRequestMessage proxied = Request(HttpMethod.Put, "/min/records/77", "nurse-4", "10.0.0.7", body: new NewPatient(SamplePhi.PostedName, "987-65-4321"));
            proxied.Headers.Add("X-Forwarded-For", "192.168.1.44");
            proxied.Headers.Add("X-Location", "ward 3");
            Assert.Equal(HttpStatusCode.OK, await Send(proxied));
            HttpRequestMessage spoofed = Request(HttpMethod.Get, "/min/images/5", "rad-9", "203.0.113.8", roles: "radiologist");
            spoofed.Headers.Add("X-Forwarded-For", "192.168.1.44");
            Assert.Equal(HttpStatusCode.Forbidden, await Send(spoofed));
            Assert.Equal(HttpStatusCode.OK, await Send(Request(HttpMethod.Get, "/min/images/5", "rad-9", "192.168.1.50", roles: "radiologist")));
            clock.Now = FridayEvening.AddMinutes(1); // 18:00 in New York
            Assert.Equal(HttpStatusCode.Forbidden, await Send(Request(HttpMethod.Get, "/min/images/5", "rad-9", "192.168.1.50", roles: "radiologist")));
            Assert.Equal(HttpStatusCode.Forbidden, await Send(Request(HttpMethod.Get, "/api/patients/9/forbidden", "dr-1", "203.0.113.5")));
            await Assert.ThrowsAsync<InvalidOperationException>(() => Send(Request(HttpMethod.Get, "/api/patients/9/throws", "dr-1", "203.0.113.5")));
            Assert.Equal(HttpStatusCode.OK, await Send(Request(HttpMethod.Get, "/min/unmarked/1", "dr-1", "203.0.113.5")));
        }

        // (user, action, resource, ip, device, outcome, reason)
        var expected = new (string User, string Action, string Resource, string Ip, string Outcome, string? Reason)[]
        {
            ("dr-1", "viewed", "/api/patients/123", "203.0.113.5", "success", null),
            ("dr-1", "modified", "/api/patients", "203.0.113.5", "success", null),
            ("dr-2", "deleted", "/api/patients/123", "203.0.113.6", "success", null),
            ("nurse-4", "viewed", "/min/patients/77", "10.0.0.7", "success", null),
            ("nurse-4", "modified", "/min/records/77", "192.168.1.44", "success", null),
            ("rad-9", "viewed", "/min/images/5", "203.0.113.8", "denied", "client IP 203.0.113.8 outside permitted ranges"),
            ("rad-9", "viewed", "/min/images/5", "192.168.1.50", "success", null),
            ("rad-9", "viewed", "/min/images/5", "192.168.1.50", "denied", "outside permitted hours 08:00-18:00 Mon-Fri (America/New_York)"),
            ("dr-1", "viewed", "/api/patients/9/forbidden", "203.0.113.5", "denied", "HTTP 403 returned by the endpoint"),
            ("dr-1", "viewed", "/api/patients/9/throws", "203.0.113.5", "failure", "unhandled exception System.InvalidOperationException"),
        };
        List<JsonElement> events = Events(log);
        Assert.Equal(expected.Length, events.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            JsonElement e = events[i];
            Assert.Equal(expected[i].User, Str(e, "user"));
            Assert.Equal(expected[i].Action, Str(e, "action"));
            Assert.Equal(expected[i].Resource, Str(e, "resource"));
            Assert.Equal(expected[i].Ip, Str(e.GetProperty("context"), "ip"));
            Assert.Equal("ws-" + expected[i].User, Str(e.GetProperty("context"), "device_id"));
            Assert.Equal(expected[i].Outcome, Str(e, "outcome"));
            Assert.Equal(expected[i].Reason, Str(e, "reason"));
        }

        Assert.Equal("ward 3", Str(events[4].GetProperty("context"), "location"));
        Assert.Equal("2026-03-06T22:59:00.000Z", Str(events[0], "timestamp"));

        string text = File.ReadAllText(log);
        foreach (string phi in new[] { SamplePhi.PatientName, SamplePhi.Ssn, SamplePhi.Diagnosis, SamplePhi.PostedName, "987-65-4321", "?" })
        {
            Assert.DoesNotContain(phi, text, StringComparison.Ordinal);
        }

        AuditVerificationResult result = AuditChainVerifier.VerifyFile(log, new AuditVerificationOptions { VerificationKeys = [_key.PublicKey] });
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(expected.Length, result.EventCount);
        Assert.True(result.CheckpointCount >= 2);
    }

    [Fact]
    public async Task AuditAllEndpoints_writes_one_record_per_request_and_verifies()
    {
        string log = Path.Combine(_directory, "all.jsonl");
        TestApp app = await StartAsync(log, new ManualTimeProvider(FridayEvening), o => o.AuditAllEndpoints = true);
        await using (app)
        {
            foreach ((HttpMethod method, string path) in new[]
            {
                (HttpMethod.Get, "/min/unmarked/1"),
                (HttpMethod.Get, "/api/notes/2"),
                (HttpMethod.Put, "/api/notes/2"),
                (HttpMethod.Get, "/api/notes/2/export"),
                (HttpMethod.Get, "/min/patients/3"),
                (HttpMethod.Get, "/nothing/here"),
            })
            {
                using HttpResponseMessage response = await app.Client.SendAsync(Request(method, path, "dr-5", "203.0.113.5"));
            }
        }

        Assert.Equal(
            new[] { "viewed /min/unmarked/1", "viewed /api/notes/2", "modified /api/notes/2", "exported /api/notes/2/export", "viewed /min/patients/3" },
            Events(log).Select(e => Str(e, "action") + " " + Str(e, "resource")));
        Assert.True(AuditChainVerifier.VerifyFile(log, new AuditVerificationOptions { VerificationKeys = [_key.PublicKey] }).IsValid);
    }

    [Fact]
    public async Task Audit_log_that_cannot_be_opened_fails_the_host_start()
    {
        // The log path is a directory, so the file sink cannot open it; the sink is created when the host starts, so
        // the deployment fails instead of every audited request (the request-time 500 is in AuditSinkFailureTests).
        string log = Directory.CreateDirectory(Path.Combine(_directory, "not-a-file")).FullName;
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(
            () => StartAsync(log, new ManualTimeProvider(FridayEvening)));
        Assert.Equal($"The audit sink (IAuditSink) could not be created: Access to the path '{log}' is denied.", Assert.Single(ex.Problems));
        Assert.IsType<UnauthorizedAccessException>(ex.InnerException);
    }

    [Fact]
    public async Task Flipping_one_byte_is_caught_at_its_record()
    {
        string log = Path.Combine(_directory, "tamper.jsonl");
        TestApp app = await StartAsync(log, new ManualTimeProvider(FridayEvening));
        await using (app)
        {
            for (int id = 1; id <= 6; id++)
            {
                using HttpResponseMessage response = await app.Client.SendAsync(Request(HttpMethod.Get, $"/min/patients/{id}", "dr-1", "203.0.113.5"));
                response.EnsureSuccessStatusCode();
            }
        }

        AuditVerificationOptions options = new() { VerificationKeys = [_key.PublicKey] };
        Assert.True(AuditChainVerifier.VerifyFile(log, options).IsValid);

        // Record 3 is the third request: change /min/patients/3 into /min/patients/8.
        byte[] bytes = File.ReadAllBytes(log);
        string[] lines = Encoding.UTF8.GetString(bytes).Split('\n');
        Assert.Contains("\"resource\":\"/min/patients/3\"", lines[2], StringComparison.Ordinal);
        int lineStart = lines.Take(2).Sum(l => Encoding.UTF8.GetByteCount(l) + 1);
        int offset = lineStart + Encoding.UTF8.GetByteCount(lines[2][..lines[2].IndexOf("/min/patients/3", StringComparison.Ordinal)]) + "/min/patients/".Length;
        Assert.Equal((byte)'3', bytes[offset]);
        bytes[offset] = (byte)'8';
        File.WriteAllBytes(log, bytes);

        AuditVerificationResult result = AuditChainVerifier.VerifyFile(log, options);
        Assert.False(result.IsValid);
        Assert.Equal(AuditVerificationFailureKind.Edited, result.Failure!.Kind);
        Assert.Equal(3, result.Failure.Seq);
        Assert.Equal(3, result.Failure.LineNumber);
    }
}
