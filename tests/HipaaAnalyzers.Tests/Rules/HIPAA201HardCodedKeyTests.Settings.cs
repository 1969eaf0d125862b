using System.Threading.Tasks;
using HipaaAnalyzers.Rules;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA201HardCodedKeyTests
{
    /// <summary>Signing and encryption keys in appsettings*.json and web*.config.</summary>
    public class Settings
    {
        private static Task VerifyAsync(params (string Name, string Content)[] files) =>
            SettingsFiles.VerifyAsync<HIPAA201HardCodedKeyAnalyzer>(files);

        [Fact]
        public Task Reports_signing_and_encryption_keys() => VerifyAsync(("appsettings.json", """
            {
              "Jwt": { "Key": {|HIPAA201:"k3y-for-signing-tokens-0123456789abcdef"|}, "Issuer": "clinic", "ExpireHours": "24" },
              "Authentication": { "IssuerSigningKey": {|HIPAA201:"a7f1c2d97c3d4a8b92c1a9e61b73e4e9"|} },
              "Encryption": { "Key": {|HIPAA201:"q2Vf8s0Hc4m1Jx7L9pB3nR6tW5yZ0aKd"|} },
              "Tokens": { "SecretKey": {|HIPAA201:"this is the clinic token signing key"|} },
            }
            """));

        [Fact]
        public Task Message_names_the_key_and_the_file()
        {
            var test = AnalyzerVerifier<HIPAA201HardCodedKeyAnalyzer>.Create(SettingsFiles.QuietCode);
            test.TestState.AdditionalFiles.Add(("/0/appsettings.json", """{ "Jwt": { "Key": {|#0:"k3y-for-signing-tokens-0123456789abcdef"|} } }"""));
            test.ExpectedDiagnostics.Add(AnalyzerVerifier<HIPAA201HardCodedKeyAnalyzer>.Diagnostic("HIPAA201").WithLocation(0)
                .WithArguments("signing key", "Jwt:Key in appsettings.json", "a literal value in a configuration file that is part of the source"));
            return test.RunAsync();
        }

        [Fact]
        public Task Leaves_placeholders_public_keys_and_other_keys_alone() => VerifyAsync(("appsettings.json", """
            {
              "Jwt": { "Key": "REPLACE_WITH_YOUR_SECRET_KEY_MINIMUM_32_CHARACTERS", "Issuer": "clinic" },
              "Signing": { "Key": "" },
              "Encryption": { "Key": "${ENCRYPTION_KEY}", "KeyId": "2026-01" },
              "Tokens": { "SigningKey": "<signing-key>" },
              "Oidc": { "PublicKey": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" },
              "Cache": { "Key": "clinic-cache-entries" },
              "Features": { "Key": "value-of-something-else" },
              "Payments": { "ApiKey": "sk_live_51H8abcdefghijkl" }
            }
            """));

        [Fact]
        public Task Leaves_development_settings_alone_by_default() =>
            VerifyAsync(("appsettings.Development.json", """{ "Jwt": { "Key": "k3y-for-signing-tokens-0123456789abcdef" } }"""));
    }
}
