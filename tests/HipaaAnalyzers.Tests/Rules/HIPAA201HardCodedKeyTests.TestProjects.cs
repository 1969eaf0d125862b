using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA201HardCodedKeyAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA201HardCodedKeyTests
{
    /// <summary>Test projects: keys of test vectors and test tokens stay quiet unless secrets_in_test_projects = true.</summary>
    public class TestProjects
    {
        /// <summary>A test that signs a token with a throwaway key and checks an HMAC against a published test vector.</summary>
        private const string TokenTests = """
            using System.Security.Cryptography;
            using System.Text;
            using Microsoft.IdentityModel.Tokens;

            namespace Clinic.Api.Tests
            {
                public sealed class TokenTests
                {
                    private static readonly byte[] Rfc4231Key = new byte[] { 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b };

                    public byte[] Signs_with_the_test_key(byte[] data)
                    {
                        var signing = new SymmetricSecurityKey({|HIPAA201:Encoding.UTF8.GetBytes("integration-test-signing-key-0123456789")|});
                        using var hmac = new HMACSHA256({|HIPAA201:Rfc4231Key|});
                        return hmac.ComputeHash(data);
                    }
                }
            }
            """ + IdentityModel;

        [Fact]
        public Task Reports_in_an_ordinary_project() => Verify.VerifyAsync(TokenTests);

        [Fact]
        public async Task Stays_quiet_when_the_project_references_xunit() =>
            await Verify.VerifyInProjectAsync(Markup.Unmarked(TokenTests), null, new[] { await TestReferences.XunitCoreAsync() });

        [Fact]
        public async Task Stays_quiet_when_the_project_references_Moq() =>
            await Verify.VerifyInProjectAsync(Markup.Unmarked(TokenTests), null, new[] { await TestReferences.AssemblyNamedAsync("Moq") });

        [Fact]
        public async Task Reports_in_a_test_project_when_secrets_in_test_projects_is_true() =>
            await Verify.VerifyInProjectAsync(TokenTests, "hipaa_analyzers.secrets_in_test_projects = true", new[] { await TestReferences.XunitCoreAsync() });
    }
}
