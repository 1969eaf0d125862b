using System.Threading.Tasks;
using HipaaAnalyzers.Rules;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA006FrameworkLoggingCapturesPhiAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public class HIPAA006FrameworkLoggingCapturesPhiTests
{
    private const string Context = """

        namespace Clinic
        {
            public class Patient { public int Id { get; set; } public string Ssn { get; set; } = ""; }

            public class ClinicDb : Microsoft.EntityFrameworkCore.DbContext
            {
                public ClinicDb(Microsoft.EntityFrameworkCore.DbContextOptions<ClinicDb> options) : base(options) { }
                public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
            }
        }
        """;

    [Fact]
    public Task Reports_sensitive_data_logging_detailed_errors_and_the_developer_exception_page_outside_a_development_check() => Verify.VerifyAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Clinic;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder)
            {
                builder.Services.AddDbContext<ClinicDb>(options => {|HIPAA006:options.EnableSensitiveDataLogging()|});
                builder.Services.AddDbContext<ClinicDb>(options => {|HIPAA006:options.EnableDetailedErrors(true)|});
                builder.Services.AddDbContext<ClinicDb>(options =>
                {
                    {|HIPAA006:options.EnableSensitiveDataLogging()|}.EnableDetailedErrors(false);
                });
                var app = builder.Build();
                if (app.Environment.IsProduction())
                {
                    {|HIPAA006:app.UseDeveloperExceptionPage()|};
                }

                {|HIPAA006:app.UseDeveloperExceptionPage()|};
            }

            public static void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
                {|HIPAA006:optionsBuilder.EnableSensitiveDataLogging()|};
        }
        """ + Context);

    [Fact]
    public Task Message_says_what_reaches_the_log() => Verify.VerifyAsync("""
        using Microsoft.EntityFrameworkCore;

        public static class Startup
        {
            public static void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => {|#0:optionsBuilder.EnableSensitiveDataLogging()|};
        }
        """,
        Verify.Diagnostic("HIPAA006").WithLocation(0).WithArguments(
            "'EnableSensitiveDataLogging()' is called outside a development check: EF Core then writes every parameter value (patients' names, identifiers, diagnoses) to the log"));

    [Fact]
    public Task Leaves_calls_under_a_development_check_a_debug_build_or_a_configuration_flag_alone() => Verify.VerifyAsync("""
        using System.Diagnostics;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Clinic;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder, IConfiguration configuration, bool isDevelopment)
            {
                builder.Services.AddDbContext<ClinicDb>(options =>
                {
                    if (builder.Environment.IsDevelopment())
                    {
                        options.EnableSensitiveDataLogging();
                    }

                    options.EnableDetailedErrors(builder.Environment.IsDevelopment());
                    options.EnableSensitiveDataLogging(configuration.GetValue<bool>("Database:SensitiveDataLogging"));
                    options.EnableSensitiveDataLogging(false);
        #if DEBUG
                    options.EnableDetailedErrors();
        #endif
                });
                if (isDevelopment)
                {
                    builder.Services.AddDbContext<ClinicDb>(options => options.EnableSensitiveDataLogging());
                }

                var app = builder.Build();
                if (!app.Environment.IsDevelopment())
                {
                    app.UseExceptionHandler("/error");
                }
                else
                {
                    app.UseDeveloperExceptionPage();
                }

                if (app.Environment.EnvironmentName == "Development") app.UseDeveloperExceptionPage();
                _ = app.Environment.IsDevelopment() ? app.UseDeveloperExceptionPage() : app.UseExceptionHandler("/error");
            }

            public static void Pipeline(IApplicationBuilder app, IWebHostEnvironment env)
            {
                if (!env.IsDevelopment())
                {
                    return;
                }

                app.UseDeveloperExceptionPage();
            }

            [Conditional("DEBUG")]
            public static void DebugOnly(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.EnableSensitiveDataLogging();
        }
        """ + Context);

    [Fact]
    public Task Reports_http_logging_of_bodies_and_query_strings_and_w3c_logging_of_the_query() => Verify.VerifyAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.HttpLogging;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder)
            {
                builder.Services.AddHttpLogging(o => o.LoggingFields = {|HIPAA006:HttpLoggingFields.All|});
                builder.Services.AddHttpLogging(o =>
                {
                    o.LoggingFields = {|HIPAA006:HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.RequestBody|};
                    o.LoggingFields |= {|HIPAA006:HttpLoggingFields.RequestQuery|};
                });
                builder.Services.AddW3CLogging(o => o.LoggingFields = {|HIPAA006:W3CLoggingFields.All|});
                var app = builder.Build();
                app.MapGet("/patients/{id}", (int id) => id).WithHttpLogging({|HIPAA006:HttpLoggingFields.ResponseBody|});
            }
        }

        [HttpLogging({|HIPAA006:HttpLoggingFields.RequestBody|})]
        public class PatientsController : ControllerBase { }
        """);

    [Fact]
    public Task Leaves_narrow_http_logging_alone() => Verify.VerifyAsync("""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.HttpLogging;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;

        public static class Startup
        {
            public static void Configure(WebApplicationBuilder builder)
            {
                builder.Services.AddHttpLogging(o => o.LoggingFields = HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration);
                builder.Services.AddHttpLogging(o => o.LoggingFields &= ~HttpLoggingFields.RequestBody);
                builder.Services.AddW3CLogging(o => o.LoggingFields = W3CLoggingFields.Date | W3CLoggingFields.Time | W3CLoggingFields.UriStem | W3CLoggingFields.ProtocolStatus);
                if (builder.Environment.IsDevelopment())
                {
                    builder.Services.AddHttpLogging(o => o.LoggingFields = HttpLoggingFields.All);
                }
            }
        }
        """);

    /// <summary>appsettings*.json: a sensitive-data-logging switch, and EF Core's command log in an app that turns sensitive data logging on.</summary>
    public class Settings
    {
        private const string FlagCode = """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.Configuration;

            public static class Startup
            {
                public static void OnConfiguring(DbContextOptionsBuilder optionsBuilder, IConfiguration configuration) =>
                    optionsBuilder.EnableSensitiveDataLogging(configuration.GetValue<bool>("Database:EnableSensitiveDataLogging"));
            }
            """;

        [Fact]
        public Task Reports_the_switch_and_the_command_log_in_settings_every_environment_reads() => SettingsFiles.VerifyAsync<HIPAA006FrameworkLoggingCapturesPhiAnalyzer>(
            FlagCode,
            null,
            ("appsettings.json", """
                {
                  "Logging": {
                    "LogLevel": {
                      "Default": "Information",
                      "Microsoft.EntityFrameworkCore.Database.Command": {|HIPAA006:"Information"|},
                    },
                    "Console": { "LogLevel": { "Microsoft.EntityFrameworkCore": {|HIPAA006:"Debug"|} } },
                  },
                  "Database": { "EnableSensitiveDataLogging": {|HIPAA006:true|} },
                }
                """),
            ("appsettings.Production.json", """{ "Database": { "EnableSensitiveDataLogging": {|HIPAA006:"true"|} } }"""));

        [Fact]
        public Task Leaves_development_settings_warning_levels_and_apps_without_sensitive_logging_alone() => SettingsFiles.VerifyAsync<HIPAA006FrameworkLoggingCapturesPhiAnalyzer>(
            FlagCode,
            null,
            ("appsettings.Development.json", """
                { "Logging": { "LogLevel": { "Microsoft.EntityFrameworkCore.Database.Command": "Information" } }, "Database": { "EnableSensitiveDataLogging": true } }
                """),
            ("appsettings.json", """
                { "Logging": { "LogLevel": { "Microsoft.EntityFrameworkCore.Database.Command": "Warning" } }, "Database": { "EnableSensitiveDataLogging": false } }
                """));

        // A clinic app that turns sensitive data logging on only while developing, and logs SQL commands everywhere:
        // in production EF Core logs the commands without their parameter values.
        [Fact]
        public Task Leaves_the_command_log_alone_when_sensitive_data_logging_is_on_only_in_development() => SettingsFiles.VerifyAsync<HIPAA006FrameworkLoggingCapturesPhiAnalyzer>(
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public class ClinicDbContext : DbContext
            {
                public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }
            }

            public static class Startup
            {
                public static void AddClinicData(WebApplicationBuilder builder) =>
                    builder.Services.AddDbContext<ClinicDbContext>(options =>
                    {
                        if (builder.Environment.IsDevelopment())
                        {
                            options.EnableSensitiveDataLogging();
                        }
                    });
            }
            """,
            null,
            ("appsettings.json", """{ "Logging": { "LogLevel": { "Default": "Information", "Microsoft.EntityFrameworkCore.Database.Command": "Information" } } }"""));

        // The call as HIPAA006's fix leaves it: the environment check is the argument. A settings file cannot make it
        // true in production, unlike a configuration flag (FlagCode), so the command log holds no values there.
        [Theory]
        [InlineData("builder.Environment.IsDevelopment()")]
        [InlineData("builder.Environment.IsEnvironment(\"Development\")")]
        [InlineData("builder.Environment.EnvironmentName == \"Development\"")]
        [InlineData("(builder.Environment.IsDevelopment() && verbose)")]
        public Task Leaves_the_command_log_alone_when_sensitive_data_logging_takes_a_development_check_as_its_argument(string argument) => SettingsFiles.VerifyAsync<HIPAA006FrameworkLoggingCapturesPhiAnalyzer>(
            $$"""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public class ClinicDbContext : DbContext
            {
                public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }
            }

            public static class Startup
            {
                public static void AddClinicData(WebApplicationBuilder builder, bool verbose) =>
                    builder.Services.AddDbContext<ClinicDbContext>(options => options.EnableSensitiveDataLogging({{argument}}));
            }
            """,
            null,
            ("appsettings.json", """{ "Logging": { "LogLevel": { "Default": "Information", "Microsoft.EntityFrameworkCore.Database.Command": "Information" } } }"""));

        [Theory]
        [InlineData("!builder.Environment.IsDevelopment()")]
        [InlineData("builder.Environment.IsProduction()")]
        [InlineData("builder.Environment.IsDevelopment() || verbose")]
        public Task Reports_the_command_log_when_the_argument_is_true_outside_development(string argument) => SettingsFiles.VerifyAsync<HIPAA006FrameworkLoggingCapturesPhiAnalyzer>(
            $$"""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public class ClinicDbContext : DbContext
            {
                public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }
            }

            public static class Startup
            {
                public static void AddClinicData(WebApplicationBuilder builder, bool verbose) =>
                    builder.Services.AddDbContext<ClinicDbContext>(options => options.EnableSensitiveDataLogging({{argument}}));
            }
            """,
            null,
            ("appsettings.json", """{ "Logging": { "LogLevel": { "Microsoft.EntityFrameworkCore.Database.Command": {|HIPAA006:"Information"|} } } }"""));

        [Fact]
        public Task Reports_the_command_log_when_sensitive_data_logging_is_on_in_every_environment() => SettingsFiles.VerifyAsync<HIPAA006FrameworkLoggingCapturesPhiAnalyzer>(
            """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.DependencyInjection;

            public class ClinicDbContext : DbContext
            {
                public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }
            }

            public static class Startup
            {
                public static void AddClinicData(WebApplicationBuilder builder) =>
                    builder.Services.AddDbContext<ClinicDbContext>(options => {|HIPAA006:options.EnableSensitiveDataLogging()|});
            }
            """,
            null,
            ("appsettings.json", """{ "Logging": { "LogLevel": { "Microsoft.EntityFrameworkCore.Database.Command": {|HIPAA006:"Information"|} } } }"""));

        [Fact]
        public Task Leaves_the_command_log_alone_when_the_app_never_turns_on_sensitive_data_logging() => SettingsFiles.VerifyAsync<HIPAA006FrameworkLoggingCapturesPhiAnalyzer>(
            "public static class Startup { }",
            null,
            ("appsettings.json", """{ "Logging": { "LogLevel": { "Microsoft.EntityFrameworkCore.Database.Command": "Information" } } }"""));
    }
}
