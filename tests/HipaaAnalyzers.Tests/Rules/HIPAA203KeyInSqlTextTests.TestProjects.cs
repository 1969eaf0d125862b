using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA203KeyInSqlTextAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA203KeyInSqlTextTests
{
    /// <summary>Test projects: the key of a test database stays quiet unless secrets_in_test_projects = true.</summary>
    public class TestProjects
    {
        /// <summary>A fixture that seeds an encrypted column in a test container.</summary>
        private const string SeedFixture = @"
using Npgsql;

namespace Clinic.Data.Tests
{
    public sealed class EncryptedColumnFixture
    {
        public void Seed(NpgsqlConnection connection)
        {
            using var insert = new NpgsqlCommand({|HIPAA203:""INSERT INTO patients (ssn) VALUES (pgp_sym_encrypt('123-45-6789', 'test-key-0123'))""|}, connection);
            insert.ExecuteNonQuery();
        }
    }
}" + Shapes;

        [Fact]
        public Task Reports_in_an_ordinary_project() => Verify.VerifyAsync(SeedFixture);

        [Fact]
        public Task Stays_quiet_when_IsTestProject_is_true() =>
            Verify.VerifyInProjectAsync(Markup.Unmarked(SeedFixture), "build_property.IsTestProject = true", Enumerable.Empty<MetadataReference>());

        [Fact]
        public async Task Stays_quiet_when_the_project_references_NUnit() =>
            await Verify.VerifyInProjectAsync(Markup.Unmarked(SeedFixture), null, new[] { await TestReferences.AssemblyNamedAsync("nunit.framework") });

        [Fact]
        public Task Reports_in_a_test_project_when_secrets_in_test_projects_is_true() =>
            Verify.VerifyInProjectAsync(SeedFixture, "build_property.IsTestProject = true\nhipaa_analyzers.secrets_in_test_projects = true", Enumerable.Empty<MetadataReference>());
    }
}
