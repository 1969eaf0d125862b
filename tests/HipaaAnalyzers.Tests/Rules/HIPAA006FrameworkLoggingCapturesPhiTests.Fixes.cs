using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA006FrameworkLoggingCapturesPhiAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA006FrameworkLoggingCapturesPhiFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public class HIPAA006FrameworkLoggingCapturesPhiFixTests
{
    private const string Context = """

        public class ClinicDb : Microsoft.EntityFrameworkCore.DbContext
        {
            public ClinicDb(Microsoft.EntityFrameworkCore.DbContextOptions<ClinicDb> options) : base(options) { }
        }
        """;

    [Fact]
    public Task Passes_the_development_check_to_sensitive_data_logging_and_wraps_the_developer_exception_page() => Verify.VerifyFixAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder)
            {
                builder.Services.AddDbContext<ClinicDb>(options => {|HIPAA006:options.EnableSensitiveDataLogging()|}.EnableDetailedErrors(false));
                var app = builder.Build();
                {|HIPAA006:app.UseDeveloperExceptionPage()|};
            }
        }
        """ + Context, """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder)
            {
                builder.Services.AddDbContext<ClinicDb>(options => options.EnableSensitiveDataLogging(builder.Environment.IsDevelopment()).EnableDetailedErrors(false));
                var app = builder.Build();
                if (app.Environment.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """ + Context);

    [Fact]
    public Task Uses_an_injected_environment() => Verify.VerifyFixAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Hosting;

        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                {|HIPAA006:app.UseDeveloperExceptionPage()|};
            }
        }
        """, """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.Extensions.Hosting;

        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                if (env.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """);

    [Fact]
    public Task Narrows_http_and_w3c_logging_fields() => Verify.VerifyFixAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.HttpLogging;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder)
            {
                builder.Services.AddHttpLogging(o => o.LoggingFields = {|HIPAA006:HttpLoggingFields.All|});
                builder.Services.AddW3CLogging(o => o.LoggingFields = {|HIPAA006:W3CLoggingFields.All|});
            }
        }
        """, """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.HttpLogging;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder)
            {
                builder.Services.AddHttpLogging(o => o.LoggingFields = HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.ResponsePropertiesAndHeaders);
                builder.Services.AddW3CLogging(o => o.LoggingFields = (W3CLoggingFields.All) & ~W3CLoggingFields.UriQuery);
            }
        }
        """);

    [Fact]
    public Task Offers_no_guard_without_an_environment_in_scope() => Verify.VerifyNoFixAsync("""
        using Microsoft.EntityFrameworkCore;

        public static class Startup
        {
            public static void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => {|HIPAA006:optionsBuilder.EnableSensitiveDataLogging()|};
        }
        """);
}
