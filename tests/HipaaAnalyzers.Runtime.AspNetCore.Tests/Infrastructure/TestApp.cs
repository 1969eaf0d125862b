using System;
using System.Linq;
using HipaaAnalyzers.Runtime.AspNetCore.Policies;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A real ASP.NET Core application on an in-memory test server: routing, authentication (from test headers),
/// authorization, MVC controllers of this assembly and whatever endpoints a test maps.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    /// <summary>The connection's remote address, as a load balancer or socket would report it.</summary>
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    /// <summary>The policy <c>StudiesController</c> names.</summary>
    public const string StudiesPolicy = "view:medical_images";

    private readonly WebApplication _app;

    private TestApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestApp> StartAsync(
        Action<IServiceCollection> services,
        Action<WebApplication> endpoints,
        Action<WebApplication>? beforeRouting = null,
        bool defineStudiesPolicy = true)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddControllers().AddApplicationPart(typeof(TestApp).Assembly);
        services(builder.Services);
        if (defineStudiesPolicy && !builder.Services.Any(d => d.ServiceType == typeof(AccessPolicySet)))
        {
            // StudiesController names this policy; without role definitions the test app defines it itself.
            builder.Services.AddAuthorization(o => o.AddPolicy(StudiesPolicy, p => p.RequireAuthenticatedUser()));
        }

        WebApplication app = builder.Build();
        app.Use((context, next) =>
        {
            string? remote = context.Request.Headers[RemoteIpHeader];
            context.Connection.RemoteIpAddress = remote is null ? IPAddress.Parse("198.51.100.10") : IPAddress.Parse(remote);
            return next(context);
        });
        beforeRouting?.Invoke(app);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        endpoints(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestApp(app);
    }

    public static HttpRequestMessage Request(HttpMethod method, string uri, string? user = "u-1001", string? roles = null, string? remoteIp = null)
    {
        HttpRequestMessage request = new(method, uri);
        if (user is not null)
        {
            request.Headers.Add(TestAuthHandler.UserHeader, user);
        }

        if (roles is not null)
        {
            request.Headers.Add(TestAuthHandler.RolesHeader, roles);
        }

        if (remoteIp is not null)
        {
            request.Headers.Add(RemoteIpHeader, remoteIp);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
