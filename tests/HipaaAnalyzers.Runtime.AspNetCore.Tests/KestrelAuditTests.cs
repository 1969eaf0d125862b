using System;
using System.Buffers;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>The same guarantees on Kestrel over a loopback socket, whose response pipe differs from the test server's.</summary>
public sealed class KestrelAuditTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(IAuditSink sink)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(sink);
        builder.Services.AddHipaaAudit();
        WebApplication app = builder.Build();
        app.MapGet("/json/{id:int}", (int id) => new PatientDto(id, SamplePhi.PatientName, SamplePhi.Ssn, SamplePhi.Diagnosis)).AuditPhiAccess();
        app.MapGet("/held", (HttpContext context) =>
        {
            context.Response.BodyWriter.Write("held "u8);
            context.Response.BodyWriter.Write(System.Text.Encoding.UTF8.GetBytes(SamplePhi.PatientName));
            return Task.CompletedTask;
        }).AuditPhiAccess();
        app.MapGet("/large", async (HttpContext context) =>
        {
            byte[] chunk = System.Text.Encoding.UTF8.GetBytes(new string('x', 1000) + "\n");
            for (int i = 0; i < 200; i++)
            {
                await context.Response.Body.WriteAsync(chunk);
            }
        }).AuditPhiAccess();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    [Theory]
    [InlineData("/json/1", "Jane Roe")]
    [InlineData("/held", "held Jane Roe")]
    public async Task Audited_response_is_sent_after_the_event_is_stored(string path, string expected)
    {
        CollectingAuditSink sink = new();
        (WebApplication app, HttpClient client) = await StartAsync(sink);
        await using (app)
        using (client)
        {
            using HttpResponseMessage response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            AuditEvent e = Assert.Single(sink.Events);
            Assert.Equal(path, e.Resource);
            Assert.Equal("127.0.0.1", e.Context.Ip);
        }
    }

    [Fact]
    public async Task Large_streamed_response_arrives_whole()
    {
        CollectingAuditSink sink = new();
        (WebApplication app, HttpClient client) = await StartAsync(sink);
        await using (app)
        using (client)
        {
            string body = await client.GetStringAsync("/large");
            Assert.Equal(200 * 1001, body.Length);
            Assert.Single(sink.Events);
        }
    }

    [Theory]
    [InlineData("/json/1")]
    [InlineData("/held")]
    [InlineData("/large")]
    public async Task Sink_failure_answers_500_with_no_PHI(string path)
    {
        (WebApplication app, HttpClient client) = await StartAsync(new FailingAuditSink());
        await using (app)
        using (client)
        {
            using HttpResponseMessage response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }
}
