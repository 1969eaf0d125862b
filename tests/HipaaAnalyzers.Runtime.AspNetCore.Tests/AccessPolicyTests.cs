using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>Permission policies from role definitions, at their time and address boundaries, through real requests.</summary>
public sealed class AccessPolicyTests
{
    private const string Roles = """
        [
          {"role":"radiologist","permissions":["view:medical_images","annotate:studies"],
           "constraints":{"temporal":"08:00-18:00 Mon-Fri","ip_range":["192.168.1.0/24","2001:db8:10::/48"]}},
          {"role":"auditor","permissions":["view:medical_images"],"constraints":{"ip_range":["10.20.0.0/16"]}},
          {"role":"night_nurse","permissions":["view:charts"],"constraints":{"temporal":"22:00-06:00 Mon-Fri"}},
          {"role":"v6_only","permissions":["view:charts"],"constraints":{"ip_range":["2001:db8::/32"]}},
          {"role":"clerk","permissions":["view:schedule"]}
        ]
        """;

    private const string Inside = "192.168.1.20";

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>A New York wall-clock time as an instant. 2026-03-06 is a Friday (EST, before the DST change).</summary>
    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute, int second = 0)
    {
        DateTime wall = new(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, NewYork.GetUtcOffset(wall));
    }

    private static readonly DateTimeOffset FridayMorning = Local(2026, 3, 6, 10, 0);

    private sealed class Harness : IAsyncDisposable
    {
        public required TestApp App { get; init; }

        public required CollectingAuditSink Sink { get; init; }

        public required ManualTimeProvider Clock { get; init; }

        public async Task<HttpResponseMessage> GetAsync(string path, string? roles, string remoteIp = Inside, string? forwardedFor = null, string? user = "u-77")
        {
            HttpRequestMessage request = TestApp.Request(HttpMethod.Get, path, user: user, roles: roles, remoteIp: remoteIp);
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }

            return await App.Client.SendAsync(request);
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<Harness> StartAsync(DateTimeOffset now, Action<HipaaAuditOptions>? audit = null)
    {
        ManualTimeProvider clock = new(now);
        CollectingAuditSink sink = new();
        TestApp app = await TestApp.StartAsync(
            services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton<IAuditSink>(sink);
                services.AddHipaaAudit(audit);
                services.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork);
            },
            a =>
            {
                a.MapControllers();
                a.MapGet("/api/images/{id:int}", (int id) => "image " + id)
                    .RequireAuthorization("view:medical_images")
                    .AuditPhiAccess(AuditAction.Viewed);
                a.MapGet("/api/charts/{id:int}", (int id) => "chart " + id)
                    .RequireAuthorization("view:charts")
                    .AuditPhiAccess(AuditAction.Viewed);
            });
        return new Harness { App = app, Sink = sink, Clock = clock };
    }

    [Theory]
    [InlineData(8, 0, 0, true)]
    [InlineData(7, 59, 59, false)]
    [InlineData(17, 59, 0, true)]
    [InlineData(17, 59, 59, true)]
    [InlineData(18, 0, 0, false)]
    public async Task Window_start_is_inclusive_and_end_exclusive(int hour, int minute, int second, bool allowed)
    {
        await using Harness h = await StartAsync(Local(2026, 3, 6, hour, minute, second));
        using HttpResponseMessage response = await h.GetAsync("/api/images/1", "radiologist");

        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
        AuditEvent e = Assert.Single(h.Sink.Events);
        Assert.Equal(allowed ? AuditOutcome.Success : AuditOutcome.Denied, e.Outcome);
        Assert.Equal(allowed ? null : "outside permitted hours 08:00-18:00 Mon-Fri (America/New_York)", e.Reason);
        Assert.Equal("/api/images/1", e.Resource);
        Assert.Equal("u-77", e.User);
        Assert.Equal(Inside, e.Context.Ip);
    }

    [Fact]
    public async Task Friday_is_allowed_and_Saturday_denied()
    {
        await using Harness h = await StartAsync(Local(2026, 3, 6, 12, 0));
        using (HttpResponseMessage friday = await h.GetAsync("/api/images/1", "radiologist"))
        {
            Assert.Equal(HttpStatusCode.OK, friday.StatusCode);
        }

        h.Clock.Now = Local(2026, 3, 7, 12, 0);
        using (HttpResponseMessage saturday = await h.GetAsync("/api/images/1", "radiologist"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, saturday.StatusCode);
        }

        Assert.Equal(new[] { AuditOutcome.Success, AuditOutcome.Denied }, h.Sink.Events.Select(e => e.Outcome));
    }

    [Fact]
    public async Task Windows_follow_the_zone_across_daylight_saving_time()
    {
        // 2026-07-10 is a Friday; New York is UTC-4 in July, so 18:00 local is 22:00 UTC.
        await using Harness h = await StartAsync(new DateTimeOffset(2026, 7, 10, 21, 59, 0, TimeSpan.Zero));
        using (HttpResponseMessage before = await h.GetAsync("/api/images/1", "radiologist"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        h.Clock.Now = new DateTimeOffset(2026, 7, 10, 22, 0, 0, TimeSpan.Zero);
        using HttpResponseMessage after = await h.GetAsync("/api/images/1", "radiologist");
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Theory]
    [InlineData(2026, 3, 6, 22, 0, true)]   // Friday night: the Friday window starts
    [InlineData(2026, 3, 7, 5, 59, true)]   // Saturday morning: still Friday's window
    [InlineData(2026, 3, 7, 6, 0, false)]   // Friday's window ended
    [InlineData(2026, 3, 7, 22, 0, false)]  // Saturday night: no Saturday window
    [InlineData(2026, 3, 9, 3, 0, false)]   // Monday 03:00 belongs to Sunday night, not listed
    [InlineData(2026, 3, 10, 3, 0, true)]   // Tuesday 03:00 belongs to Monday night
    [InlineData(2026, 3, 6, 21, 59, false)]
    public async Task Overnight_windows_belong_to_the_day_they_start(int year, int month, int day, int hour, int minute, bool allowed)
    {
        await using Harness h = await StartAsync(Local(year, month, day, hour, minute));
        using HttpResponseMessage response = await h.GetAsync("/api/charts/1", "night_nurse");
        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("192.168.1.0", true)]
    [InlineData("192.168.1.255", true)]
    [InlineData("192.168.2.1", false)]
    [InlineData("192.168.0.255", false)]
    [InlineData("::ffff:192.168.1.20", true)]        // IPv4-mapped client matches the IPv4 range
    [InlineData("::ffff:192.168.2.1", false)]
    [InlineData("2001:db8:10:5::1", true)]           // inside 2001:db8:10::/48
    [InlineData("2001:db8:11::1", false)]
    [InlineData("::1", false)]
    public async Task Client_address_must_be_in_a_permitted_range(string remoteIp, bool allowed)
    {
        await using Harness h = await StartAsync(FridayMorning);
        using HttpResponseMessage response = await h.GetAsync("/api/images/1", "radiologist", remoteIp);

        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
        AuditEvent e = Assert.Single(h.Sink.Events);
        if (!allowed)
        {
            Assert.Equal(AuditOutcome.Denied, e.Outcome);
            string normalized = IPAddress.Parse(remoteIp) is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4().ToString() : remoteIp;
            Assert.Equal($"client IP {normalized} outside permitted ranges", e.Reason);
        }
    }

    [Fact]
    public async Task IPv4_client_never_matches_an_IPv6_range()
    {
        await using Harness h = await StartAsync(FridayMorning);
        using HttpResponseMessage v4 = await h.GetAsync("/api/charts/1", "v6_only", "192.168.1.20");
        using HttpResponseMessage v6 = await h.GetAsync("/api/charts/1", "v6_only", "2001:db8:ffff::1");
        Assert.Equal(HttpStatusCode.Forbidden, v4.StatusCode);
        Assert.Equal(HttpStatusCode.OK, v6.StatusCode);
    }

    [Fact]
    public async Task A_role_that_does_not_grant_the_permission_is_denied_with_a_reason()
    {
        await using Harness h = await StartAsync(FridayMorning);
        using HttpResponseMessage response = await h.GetAsync("/api/images/1", "clerk");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        AuditEvent e = Assert.Single(h.Sink.Events);
        Assert.Equal(AuditOutcome.Denied, e.Outcome);
        Assert.Equal("no role grants view:medical_images", e.Reason);
    }

    [Fact]
    public async Task Unauthenticated_request_is_challenged_and_audited_as_denied()
    {
        await using Harness h = await StartAsync(FridayMorning);
        using HttpResponseMessage response = await h.GetAsync("/api/images/1", roles: null, user: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AuditEvent e = Assert.Single(h.Sink.Events);
        Assert.Equal(AuditOutcome.Denied, e.Outcome);
        Assert.Equal("not authenticated", e.Reason);
        Assert.Equal("anonymous", e.User);
    }

    [Fact]
    public async Task Any_held_role_whose_constraints_hold_grants_access()
    {
        await using Harness h = await StartAsync(Local(2026, 3, 7, 12, 0)); // Saturday: radiologist's window is closed
        using HttpResponseMessage fromAuditNetwork = await h.GetAsync("/api/images/1", "radiologist,auditor", "10.20.3.4");
        using HttpResponseMessage fromElsewhere = await h.GetAsync("/api/images/1", "radiologist,auditor", "192.168.1.20");

        Assert.Equal(HttpStatusCode.OK, fromAuditNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fromElsewhere.StatusCode);
        Assert.Equal(
            "role radiologist: outside permitted hours 08:00-18:00 Mon-Fri (America/New_York); role auditor: client IP 192.168.1.20 outside permitted ranges",
            h.Sink.Events[1].Reason);
    }

    [Fact]
    public async Task Policies_use_the_client_address_from_trusted_proxies_only()
    {
        await using Harness h = await StartAsync(FridayMorning, o => o.TrustedProxies.Add("10.0.0.7"));
        using HttpResponseMessage viaProxy = await h.GetAsync("/api/images/1", "radiologist", remoteIp: "10.0.0.7", forwardedFor: "192.168.1.20");
        using HttpResponseMessage spoofed = await h.GetAsync("/api/images/1", "radiologist", remoteIp: "203.0.113.9", forwardedFor: "192.168.1.20");

        Assert.Equal(HttpStatusCode.OK, viaProxy.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, spoofed.StatusCode);
        Assert.Equal("192.168.1.20", h.Sink.Events[0].Context.Ip);
        Assert.Equal("client IP 203.0.113.9 outside permitted ranges", h.Sink.Events[1].Reason);
    }

    [Fact]
    public async Task Mvc_controller_policy_denial_is_audited_with_the_reason()
    {
        await using Harness h = await StartAsync(Local(2026, 3, 6, 18, 30));
        using HttpResponseMessage denied = await h.GetAsync("/api/studies/5/images", "radiologist");
        h.Clock.Now = FridayMorning;
        using HttpResponseMessage allowed = await h.GetAsync("/api/studies/5/images", "radiologist");

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Collection(
            h.Sink.Events,
            e =>
            {
                Assert.Equal(AuditOutcome.Denied, e.Outcome);
                Assert.Equal(AuditAction.Viewed, e.Action);
                Assert.Equal("/api/studies/5/images", e.Resource);
                Assert.Equal("outside permitted hours 08:00-18:00 Mon-Fri (America/New_York)", e.Reason);
            },
            e => Assert.Equal(AuditOutcome.Success, e.Outcome));
    }

    [Fact]
    public async Task One_policy_is_registered_per_permission()
    {
        await using Harness h = await StartAsync(FridayMorning);
        Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider provider =
            h.App.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>();
        foreach (string permission in new[] { "view:medical_images", "annotate:studies", "view:charts", "view:schedule" })
        {
            Assert.NotNull(await provider.GetPolicyAsync(permission));
        }

        Assert.Null(await provider.GetPolicyAsync("radiologist"));
    }
}
