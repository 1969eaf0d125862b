using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA202HardCodedCredentialAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA202HardCodedCredentialFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA202HardCodedCredentialTests
{
    /// <summary>The code fix: read the credential from configuration when an IConfiguration is in scope, else from the environment.</summary>
    public class Fixes
    {
        private const string Key = "HIPAA202.ReadFromConfiguration";

        [Fact]
        public async Task Offers_reading_it_from_configuration_and_names_the_setting()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
using Microsoft.Extensions.Configuration;
class Mail
{
    private readonly IConfiguration _configuration;
    public Mail(IConfiguration configuration) => _configuration = configuration;
    public System.Net.NetworkCredential Credential() => new System.Net.NetworkCredential(""clinic"", ""Winter2024!"");
}");

            Assert.Equal(new (string, string?)[] { ("Read it from configuration 'Secrets:Password'", Key) }, offered);
        }

        [Fact]
        public Task Fix_all_uses_the_injected_configuration_and_GetConnectionString() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Net;
using Microsoft.Extensions.Configuration;
using Clinic;

class Mailer
{
    private readonly IConfiguration _configuration;

    public Mailer(IConfiguration configuration) => _configuration = configuration;

    public NetworkCredential Credential() => new NetworkCredential(""clinic"", {|HIPAA202:""Winter2024!""|});

    public Connections Open()
    {
        var connectionString = {|HIPAA202:""Host=db;Username=clinic;Password=Sup3rS3cret!""|};
        return new Connections(connectionString);
    }

    public void Configure(SmtpOptions smtp) => smtp.Password = {|HIPAA202:""mail-pass-2024""|};
}" + Models, @"
using System;
using System.Net;
using Microsoft.Extensions.Configuration;
using Clinic;

class Mailer
{
    private readonly IConfiguration _configuration;

    public Mailer(IConfiguration configuration) => _configuration = configuration;

    public NetworkCredential Credential() => new NetworkCredential(""clinic"", _configuration[""Secrets:Password""] ?? throw new InvalidOperationException(""The configuration value 'Secrets:Password' is not set.""));

    public Connections Open()
    {
        var connectionString = _configuration.GetConnectionString(""Default"") ?? throw new InvalidOperationException(""The configuration value 'ConnectionStrings:Default' is not set."");
        return new Connections(connectionString);
    }

    public void Configure(SmtpOptions smtp) => smtp.Password = _configuration[""Smtp:Password""] ?? throw new InvalidOperationException(""The configuration value 'Smtp:Password' is not set."");
}" + Models, Key);

        [Fact]
        public Task Private_constant_becomes_static_readonly_read_from_the_environment() => VerifyFix.VerifyFixAsync(@"
using System;

static class Db
{
    private const string ClinicConnectionString = {|HIPAA202:""Server=db;Database=clinic;User Id=app;Password=Sup3rS3cret!""|};

    public static string Get() => ClinicConnectionString;

    public static string Admin()
    {
        const string adminPassword = {|HIPAA202:""hunter2!""|};
        return adminPassword;
    }
}", @"
using System;

static class Db
{
    private static readonly string ClinicConnectionString = Environment.GetEnvironmentVariable(""ConnectionStrings__Clinic"") ?? throw new InvalidOperationException(""The environment variable 'ConnectionStrings__Clinic' is not set."");

    public static string Get() => ClinicConnectionString;

    public static string Admin()
    {
        string adminPassword = Environment.GetEnvironmentVariable(""Secrets__AdminPassword"") ?? throw new InvalidOperationException(""The environment variable 'Secrets__AdminPassword' is not set."");
        return adminPassword;
    }
}", Key);

        [Fact]
        public Task Authorization_values_keep_their_scheme_and_encoding() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

static class Payer
{
    public static void Configure(HttpClient client, HttpClient other)
    {
        client.DefaultRequestHeaders.Add(""Authorization"", {|HIPAA202:""Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl""|});
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(""Basic"", {|HIPAA202:Convert.ToBase64String(Encoding.UTF8.GetBytes(""admin:admin123""))|});
    }
}", @"
using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

static class Payer
{
    public static void Configure(HttpClient client, HttpClient other)
    {
        client.DefaultRequestHeaders.Add(""Authorization"", ""Bearer "" + (Environment.GetEnvironmentVariable(""Authentication__BearerToken"") ?? throw new InvalidOperationException(""The environment variable 'Authentication__BearerToken' is not set."")));
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(""Basic"", Convert.ToBase64String(Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(""Authentication__BasicCredentials"") ?? throw new InvalidOperationException(""The environment variable 'Authentication__BasicCredentials' is not set.""))));
    }
}", Key);

        [Fact]
        public Task No_fix_for_a_public_constant_whose_users_need_a_constant() => VerifyFix.VerifyNoFixAsync(@"
public static class Db
{
    public const string ConnectionString = {|HIPAA202:""Host=db;Username=clinic;Password=Sup3rS3cret!""|};
}");
    }
}
