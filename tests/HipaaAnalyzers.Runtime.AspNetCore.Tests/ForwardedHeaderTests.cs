using System;
using System.Net.Http;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>The recorded client address believes forwarded headers only from trusted proxies.</summary>
public sealed class ForwardedHeaderTests
{
    private static async Task<string?> RecordedIpAsync(Action<HipaaAuditOptions> options, string remoteIp, string? forwardedFor, Action<WebApplication>? beforeRouting = null)
    {
        CollectingAuditSink sink = new();
        await using TestApp app = await TestApp.StartAsync(
            services =>
            {
                services.AddSingleton<IAuditSink>(sink);
                services.AddHipaaAudit(options);
            },
            a => a.MapGet("/p/{id:int}", (int id) => "ok").AuditPhiAccess(),
            beforeRouting);
        using HttpRequestMessage request = TestApp.Request(HttpMethod.Get, "/p/1", remoteIp: remoteIp);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using HttpResponseMessage response = await app.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return Assert.Single(sink.Events).Context.Ip;
    }

    [Fact]
    public async Task Spoofed_header_from_an_untrusted_client_is_ignored()
    {
        Assert.Equal("203.0.113.50", await RecordedIpAsync(_ => { }, "203.0.113.50", "10.1.1.1"));
        Assert.Equal("203.0.113.50", await RecordedIpAsync(o => o.TrustedProxies.Add("10.0.0.0/8"), "203.0.113.50", "192.168.1.20"));
    }

    [Fact]
    public async Task Trusted_proxy_supplies_the_client_address()
    {
        Assert.Equal("192.168.1.20", await RecordedIpAsync(o => o.TrustedProxies.Add("10.0.0.7"), "10.0.0.7", "192.168.1.20"));
        Assert.Equal("192.168.1.20", await RecordedIpAsync(o => o.TrustedProxies.Add("10.0.0.0/8"), "10.0.0.7", "192.168.1.20:51234"));
        Assert.Equal("2001:db8::5", await RecordedIpAsync(o => o.TrustedProxies.Add("10.0.0.0/8"), "10.0.0.7", "[2001:db8::5]:443"));
    }

    [Fact]
    public async Task Chain_is_walked_only_while_hops_are_trusted()
    {
        Action<HipaaAuditOptions> twoProxies = o =>
        {
            o.TrustedProxies.Add("10.0.0.7");
            o.TrustedProxies.Add("10.0.0.8");
        };

        // client -> 10.0.0.8 -> 10.0.0.7 -> app
        Assert.Equal("198.51.100.4", await RecordedIpAsync(twoProxies, "10.0.0.7", "198.51.100.4, 10.0.0.8"));

        // The client prepended a fake entry; the first untrusted hop from the right is the real client.
        Assert.Equal("198.51.100.4", await RecordedIpAsync(twoProxies, "10.0.0.7", "1.2.3.4, 198.51.100.4, 10.0.0.8"));

        // A garbage entry stops the walk at the last address that is known.
        Assert.Equal("10.0.0.8", await RecordedIpAsync(twoProxies, "10.0.0.7", "198.51.100.4, unknown, 10.0.0.8"));
    }

    [Fact]
    public async Task IPv4_mapped_remote_addresses_are_recorded_and_trusted_as_IPv4()
    {
        Assert.Equal("203.0.113.50", await RecordedIpAsync(_ => { }, "::ffff:203.0.113.50", null));
        Assert.Equal("192.168.1.20", await RecordedIpAsync(o => o.TrustedProxies.Add("10.0.0.0/8"), "::ffff:10.0.0.7", "192.168.1.20"));
    }

    [Fact]
    public async Task Forwarded_headers_can_be_switched_off()
        => Assert.Equal("10.0.0.7", await RecordedIpAsync(
            o =>
            {
                o.TrustedProxies.Add("10.0.0.7");
                o.ForwardedForHeaderName = null;
            },
            "10.0.0.7",
            "192.168.1.20"));

    [Fact]
    public async Task UseForwardedHeaders_result_is_honoured()
        => Assert.Equal("192.168.1.20", await RecordedIpAsync(
            o => o.ForwardedForHeaderName = null,
            "10.0.0.7",
            "192.168.1.20",
            a =>
            {
                ForwardedHeadersOptions forwarded = new() { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse("10.0.0.7"));
                a.UseForwardedHeaders(forwarded);
            }));

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/8")]
    [InlineData("proxy.internal")]
    public async Task Bad_trusted_proxy_entries_fail_at_startup(string entry)
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => RecordedIpAsync(o => o.TrustedProxies.Add(entry), "10.0.0.7", null));
        Assert.StartsWith("HipaaAuditOptions.TrustedProxies[0]: ", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }
}
