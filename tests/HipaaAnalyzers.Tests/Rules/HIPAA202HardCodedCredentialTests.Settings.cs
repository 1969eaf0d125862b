using System.Threading.Tasks;
using HipaaAnalyzers.Rules;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA202HardCodedCredentialTests
{
    /// <summary>Credentials in appsettings*.json and web*.config, which the package adds as additional files.</summary>
    public class Settings
    {
        private static Task VerifyAsync(params (string Name, string Content)[] files) =>
            SettingsFiles.VerifyAsync<HIPAA202HardCodedCredentialAnalyzer>(files);

        [Fact]
        public Task Reports_connection_strings_and_secret_named_keys_in_nested_sections_with_comments_and_trailing_commas() => VerifyAsync(("appsettings.json", """
            {
              // Databases of the clinic.
              "ConnectionStrings": {
                "Clinic": {|HIPAA202:"Server=sql01;Database=Clinic;User Id=sa;Password=Winter2026!;TrustServerCertificate=True"|},
                "Records": {|HIPAA202:"Host=db;Username=records;Pwd=r3cords-Pass"|},
                "Cache": {|HIPAA202:"cache.clinic.internal:6380,password=Redis-Pass-2026,ssl=True"|},
                "Mongo": {|HIPAA202:"mongodb://clinic:M0ngo-Pass@mongo.clinic.internal:27017/clinic"|},
              },
              /* Messaging and payments. */
              "Twilio": { "AccountSid": "AC5f0e4b2c1d", "AuthToken": {|HIPAA202:"9f8e7d6c5b4a39281706f5e4d3c2b1a0"|} },
              "Smtp": { "Host": "smtp.clinic.org", "Password": {|HIPAA202:"Mail-Pass-2026"|}, },
              "Payments": { "ApiKey": {|HIPAA202:"sk_live_51H8abcdefghijkl"|}, "ClientSecret": {|HIPAA202:"d9f8a7b6c5e4-secret"|} },
              "Integrations": [
                { "Name": "lab", "AccessToken": {|HIPAA202:"ghp_16C7e42F292c6912E7710c838347Ae178B4a"|} },
              ],
            }
            """));

        [Fact]
        public Task Message_names_the_key_the_file_and_the_kind_of_secret()
        {
            var test = AnalyzerVerifier<HIPAA202HardCodedCredentialAnalyzer>.Create(SettingsFiles.QuietCode);
            test.TestState.AdditionalFiles.Add(("/0/appsettings.Production.json", """
                {
                  "ConnectionStrings": { "Clinic": {|#0:"Host=db;Username=clinic;Password=Sup3rS3cret!"|} },
                  "Smtp": { "Password": {|#1:"Mail-Pass-2026"|} }
                }
                """));
            test.ExpectedDiagnostics.Add(AnalyzerVerifier<HIPAA202HardCodedCredentialAnalyzer>.Diagnostic("HIPAA202").WithLocation(0)
                .WithArguments("'ConnectionStrings:Clinic' in appsettings.Production.json (a connection string with a password)"));
            test.ExpectedDiagnostics.Add(AnalyzerVerifier<HIPAA202HardCodedCredentialAnalyzer>.Diagnostic("HIPAA202").WithLocation(1)
                .WithArguments("'Smtp:Password' in appsettings.Production.json (a password)"));
            return test.RunAsync();
        }

        [Fact]
        public Task Leaves_placeholders_empty_values_and_settings_that_are_not_secrets_alone() => VerifyAsync(("appsettings.json", """
            {
              "ConnectionStrings": {
                "Clinic": "Server=(localdb)\\mssqllocaldb;Database=Clinic;Trusted_Connection=True",
                "Records": "Host=postgres;Username=records;Password=${POSTGRES_PASSWORD};",
                "Audit": "Host=postgres;Username=audit;Password=REPLACE_IN_OVERRIDE;",
                "Reports": "Host=postgres;Username=reports;Password=<password>;",
                "Billing": "Host=postgres;Username=billing;Password=#{BillingDbPassword}#;",
                "Cache": "<your-cache>.redis.cache.windows.net:6380,password=<access-key>,ssl=True",
                "Lab": "Host=db;Username=lab;Password=;"
              },
              "Smtp": { "Password": "", "UserName": "" },
              "Payments": { "ApiKey": "YOUR_API_KEY", "ClientSecret": "changeme", "WebhookSecret": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/webhook)" },
              "Twilio": { "AuthToken": "your-auth-token-here" },
              "Identity": {
                "PasswordResetPath": "/account/reset",
                "RequiredPasswordLength": 12,
                "RequireDigit": true,
                "TokenLifetimeMinutes": 60,
                "RefreshTokenExpirationDays": 7,
                "PasswordHash": "AQAAAAIAAYagAAAAEJ8vZ9b5",
                "SecretName": "clinic-db-password"
              },
              "KeyVault": { "Url": "https://clinic-kv.vault.azure.net/" },
              "Logging": { "LogLevel": { "Default": "Information" } },
              "AllowedHosts": "*"
            }
            """));

        [Fact]
        public Task Leaves_development_settings_alone_by_default() => VerifyAsync(
            ("appsettings.Development.json", """{ "ConnectionStrings": { "Clinic": "Host=localhost;Username=dev;Password=Dev-Pass-2026" } }"""),
            ("web.Debug.config", """<configuration><connectionStrings><add name="Clinic" connectionString="Server=.;User Id=sa;Password=Dev-Pass-2026" /></connectionStrings></configuration>"""));

        [Fact]
        public Task Reports_development_settings_when_the_option_asks_for_them() => SettingsFiles.VerifyAsync<HIPAA202HardCodedCredentialAnalyzer>(
            SettingsFiles.QuietCode,
            "hipaa_analyzers.secrets_in_development_settings = true",
            ("appsettings.Development.json", """{ "ConnectionStrings": { "Clinic": {|HIPAA202:"Host=localhost;Username=dev;Password=Dev-Pass-2026"|} } }"""));

        [Fact]
        public Task Reports_other_environments() => VerifyAsync(
            ("appsettings.Staging.json", """{ "Smtp": { "Password": {|HIPAA202:"Staging-Mail-2026"|} } }"""),
            ("appsettings.Production.json", """{ "ConnectionStrings": { "Clinic": {|HIPAA202:"Host=db;Username=clinic;Password=Prod-Pass-2026"|} } }"""));

        [Fact]
        public Task Reports_web_config_connection_strings_app_settings_and_mail_passwords() => VerifyAsync(("web.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <connectionStrings>
                <add name="Clinic" connectionString={|HIPAA202:"Data Source=sql01;Initial Catalog=Clinic;User ID=sa;Password=Winter2026!"|} providerName="System.Data.SqlClient" />
                <add name="Local" connectionString="Data Source=.;Initial Catalog=Clinic;Integrated Security=True" />
              </connectionStrings>
              <appSettings>
                <add key="SmsApiKey" value={|HIPAA202:"a8d7f6e5c4b3a2918273"|} />
                <add key="SmsSender" value="+15550100" />
                <add key="ReportPassword" value="" />
              </appSettings>
              <system.net>
                <mailSettings>
                  <smtp from="clinic@example.org">
                    <network host="smtp.clinic.org" userName="clinic" password={|HIPAA202:'Mail-Pass-2026'|} />
                  </smtp>
                </mailSettings>
              </system.net>
            </configuration>
            """));

        [Fact]
        public Task Ignores_other_additional_files_and_a_project_without_configuration_files() => VerifyAsync(
            ("secrets.json", """{ "Smtp": { "Password": "Mail-Pass-2026" } }"""),
            ("notes.txt", "Password=Winter2026!;Host=db"));

        [Fact]
        public Task A_project_without_configuration_files_is_quiet() => VerifyAsync();

        [Fact]
        public Task Leaves_a_malformed_file_to_HIPAA901() => VerifyAsync(("appsettings.json", """
            { "ConnectionStrings": { "Clinic": "Host=db;Username=clinic;Password=Sup3rS3cret!" }
            """));

        [Fact]
        public async Task Stays_quiet_in_test_projects() => await SettingsFiles.VerifyAsync<HIPAA202HardCodedCredentialAnalyzer>(
            SettingsFiles.QuietCode,
            "build_property.IsTestProject = true",
            ("appsettings.json", """{ "ConnectionStrings": { "Clinic": "Host=db;Username=clinic;Password=Sup3rS3cret!" } }"""));
    }
}
