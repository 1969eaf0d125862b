using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA202HardCodedCredentialAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA202HardCodedCredentialTests
{
    private const string Models = @"
namespace Clinic
{
    public class SmtpOptions
    {
        public string Host { get; set; } = """";
        public string Password { get; set; } = """";
    }

    public class Connections
    {
        public Connections(string connectionString) { }
    }
}
";

    [Fact]
    public Task Reports_connection_strings_password_members_credentials_and_authorization_values() => Verify.VerifyAsync(@"
using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using Clinic;

class Db
{
    private const string ConnectionString = {|HIPAA202:""Host=db;Username=clinic;Password=Sup3rS3cret!""|};
    private const string SqlServer = {|HIPAA202:""Server=sql01;Database=Clinic;User Id=app;Pwd='Winter2024!';""|};
    private static readonly string AdminPassword = {|HIPAA202:""hunter2!""|};
    public string ApiSecret { get; set; } = {|HIPAA202:""sk_live_51H8abcdef""|};
    private readonly string _clientSecret = {|HIPAA202:""d9f8a7b6c5e4""|};
    private const string SendGridApiKey = {|HIPAA202:""SG.x1y2z3.abcdef""|};
    private const string JwtSecret = {|HIPAA202:""my-super-secret-key""|};
    private const string SigningSecret = {|HIPAA202:""dev-secret-123""|};

    void Connect(string user = ""admin"", string password = {|HIPAA202:""admin123!""|}) { }

    void Run(HttpClient client, SmtpOptions smtp, Dictionary<string, string> settings)
    {
        var dbPassword = {|HIPAA202:""P@ssw0rd""|};
        smtp.Password = {|HIPAA202:""mail-pass-2024""|};
        var options = new SmtpOptions { Host = ""smtp.clinic.org"", Password = {|HIPAA202:""Spring2025#""|} };
        settings[""Db:Password""] = {|HIPAA202:""local-db-pass""|};
        var credential = new NetworkCredential(""svc-clinic"", {|HIPAA202:""Winter2024!""|});
        var connections = new Connections({|HIPAA202:""Data Source=db;Initial Catalog=clinic;User ID=sa;Password=Passw0rd1""|});
        var url = {|HIPAA202:""postgres://clinic:s3cret@db.internal:5432/clinic""|};
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(""Basic"", {|HIPAA202:Convert.ToBase64String(Encoding.UTF8.GetBytes(""admin:admin123""))|});
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(""Bearer"", {|HIPAA202:""eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl""|});
        client.DefaultRequestHeaders.Add(""Authorization"", {|HIPAA202:""Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl""|});
        client.DefaultRequestHeaders.Add(""Authorization"", {|HIPAA202:""Basic YWRtaW46YWRtaW4xMjM=""|});
    }
}" + Models);

    [Fact]
    public Task Message_names_where_the_password_goes() => Verify.VerifyAsync(@"
using System.Net;

class Mail
{
    public NetworkCredential Credential() => new NetworkCredential(""clinic"", {|#0:""Winter2024!""|});

    public string Connection() => {|#1:""Host=db;Username=clinic;Password=Sup3rS3cret!""|};
}",
        Verify.Diagnostic("HIPAA202").WithLocation(0).WithArguments("the 'password' parameter of 'NetworkCredential'"),
        Verify.Diagnostic("HIPAA202").WithLocation(1).WithArguments("a connection string"));

    [Fact]
    public Task Leaves_alone_labels_messages_routes_configuration_keys_placeholders_and_values_from_configuration() => Verify.VerifyAsync(@"
using System;
using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;

public class LoginModel
{
    [Display(Name = ""Password"")]
    [Required(ErrorMessage = ""Password is required"")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = """";

    [Compare(""Password"", ErrorMessage = ""The passwords do not match."")]
    public string ConfirmPassword { get; set; } = string.Empty;
}

public static class Routes
{
    public const string PasswordResetPath = ""/account/reset-password"";
    public const string ResetPassword = ""password-reset"";
    public const string ForgotPassword = ""forgot_password"";
    public const string PasswordField = ""password"";
    public const string PasswordPrompt = ""Enter your password:"";
    public const string DbPasswordKey = ""Db:Password"";
    public const string DbPassword = ""Db:Password"";
    public const string SmtpPassword = ""SMTP_PASSWORD"";
    public const string ApiKey = ""X-Api-Key"";
    public const string PasswordRegex = ""^(?=.*[A-Z]).{12,}$"";
    public const string ClientSecret = ""ClientSecret"";
    public const string KeyVaultSecret = ""clinic-db-password"";
    public const string RequirePassword = ""true"";
    public const string InvalidPassword = ""InvalidPassword"";
}

class Quiet
{
    void Run(IConfiguration config, PasswordHasher<object> hasher, HttpClient client, string token, string userPassword)
    {
        var cs1 = ""Host=db;Username=clinic;Password=${DB_PASSWORD}"";
        var cs2 = string.Format(""Server=db;User Id=app;Password={0}"", config[""Db:Password""]);
        var cs3 = ""Server=db;Database=clinic;Integrated Security=true"";
        var cs4 = ""Host=db;Username=clinic;Password=;"";
        var cs5 = ""Host=db;Username=clinic;Password=<password>"";
        var cs6 = $""Host=db;Username=clinic;Password={userPassword}"";
        var cs7 = ""Host=db;Username=clinic;Password=%DB_PASSWORD%"";
        var cs8 = config.GetConnectionString(""Default"");
        var cs9 = config[""ConnectionStrings:Default""];
        var password = config[""Db:Password""];
        var dbPassword = Environment.GetEnvironmentVariable(""DB_PASSWORD"");
        var clientSecret = config.GetValue<string>(""Auth:ClientSecret"");
        string Password = ""password"";
        var label = ""Password"";
        var message = ""Password is required"";
        var passwordHash = ""AQAAAAIAAYagAAAAEJ2xk8x"";
        var hashedPassword = hasher.HashPassword(new object(), userPassword);
        var emptyPassword = """";
        var credential = new NetworkCredential(""svc"", password);
        var placeholder = new NetworkCredential(""svc"", ""********"");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(""Bearer"", token);
        client.DefaultRequestHeaders.Add(""Authorization"", ""Bearer "" + token);
        var scheme = ""Bearer"";
        var note = ""Use Password=... in the connection string"";
        var seeded = new LoginModel { Password = ""AQAAAAIAAYagAAAAEJ2xk8xvbQ2Z+HvAfW1T2w=="" };
        var bcrypt = new LoginModel { Password = ""$2b$12$KIXQJ6e2R1m7yq5Q0pFh1u"" };
        var form = new System.Collections.Generic.Dictionary<string, string> { [""grant_type""] = ""password"", [""username""] = ""svc"" };
    }
}");
}
