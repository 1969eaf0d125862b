using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA202HardCodedCredentialAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA202HardCodedCredentialTests
{
    /// <summary>
    /// Test projects (IsTestProject, or a reference to a test framework or mocking library) hold throwaway credentials:
    /// the rule stays quiet there unless <c>hipaa_analyzers.secrets_in_test_projects = true</c>.
    /// </summary>
    public class TestProjects
    {
        /// <summary>An integration-test helper and tests of an account API, with the credentials such tests use.</summary>
        private const string AccountTests = """
            using System.Net;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Identity;

            namespace Clinic.Api.IntegrationTests
            {
                public sealed record ChangePasswordCommand(string CurrentPassword, string NewPassword);

                public static class TestUsers
                {
                    public const string ContainerConnection = {|HIPAA202:"Host=localhost;Port=5433;Database=clinic_tests;Username=postgres;Password=Postgres#Test1"|};

                    public static async Task<IdentityUser> SeedNurseAsync(UserManager<IdentityUser> userManager)
                    {
                        string password = {|HIPAA202:"Test@1234!"|};
                        var nurse = new IdentityUser { UserName = "nurse@clinic.test" };
                        await userManager.CreateAsync(nurse, password);
                        return nurse;
                    }
                }

                public sealed class AccountTests
                {
                    public async Task Rejects_a_wrong_password(UserManager<IdentityUser> userManager, IdentityUser nurse)
                    {
                        var ok = await userManager.CheckPasswordAsync(nurse, {|HIPAA202:"Wrong@Pass99"|});
                        var command = new ChangePasswordCommand({|HIPAA202:"Old@Pass123"|}, {|HIPAA202:"New@Pass456"|});
                        var credential = new NetworkCredential("nurse", {|HIPAA202:"Test@1234!"|});
                    }
                }
            }
            """;

        [Fact]
        public Task Reports_in_an_ordinary_project() => Verify.VerifyAsync(AccountTests);

        [Fact]
        public Task Reports_when_IsTestProject_is_false() =>
            RunAsync(AccountTests, "build_property.IsTestProject = false");

        [Fact]
        public async Task Stays_quiet_when_the_project_references_xunit() =>
            await RunAsync(Unmarked(AccountTests), globalConfig: null, await XunitCoreAsync());

        [Fact]
        public Task Stays_quiet_when_IsTestProject_is_true() =>
            RunAsync(Unmarked(AccountTests), "build_property.IsTestProject = true");

        [Theory]
        [InlineData("xunit.assert")]
        [InlineData("xunit.v3.core")]
        [InlineData("nunit.framework")]
        [InlineData("Microsoft.VisualStudio.TestPlatform.TestFramework")]
        [InlineData("MSTest.TestFramework")]
        [InlineData("Moq")]
        [InlineData("NSubstitute")]
        [InlineData("FakeItEasy")]
        public async Task Stays_quiet_when_the_project_references_a_test_framework_or_mocking_library(string assemblyName) =>
            await RunAsync(Unmarked(AccountTests), globalConfig: null, await TestReferences.AssemblyNamedAsync(assemblyName));

        [Fact]
        public async Task Reports_in_a_test_project_when_secrets_in_test_projects_is_true() =>
            await RunAsync(AccountTests, "hipaa_analyzers.secrets_in_test_projects = true", await XunitCoreAsync());

        [Fact]
        public Task Reports_in_a_test_project_by_property_when_secrets_in_test_projects_is_true() =>
            RunAsync(AccountTests, "build_property.IsTestProject = true\nhipaa_analyzers.secrets_in_test_projects = TRUE");

        [Fact]
        public async Task Stays_quiet_when_secrets_in_test_projects_is_false_or_invalid()
        {
            var xunit = await XunitCoreAsync();
            await RunAsync(Unmarked(AccountTests), "hipaa_analyzers.secrets_in_test_projects = false", xunit);
            await RunAsync(Unmarked(AccountTests), "hipaa_analyzers.secrets_in_test_projects = sometimes", xunit);
        }

        [Fact]
        public async Task An_editorconfig_section_does_not_turn_the_rule_on_in_a_test_project()
        {
            // The option decides for a whole compilation, so only a .globalconfig sets it (HIPAA900 reports the section).
            var test = Verify.Create(Unmarked(AccountTests));
            test.TestState.AdditionalReferences.Add(await XunitCoreAsync());
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\nhipaa_analyzers.secrets_in_test_projects = true\n"));
            await test.RunAsync(CancellationToken.None);
        }

        private static Task RunAsync(string source, string? globalConfig, params MetadataReference[] references) =>
            Verify.VerifyInProjectAsync(source, globalConfig, references);

        private static string Unmarked(string source) => Markup.Unmarked(source);

        private static Task<MetadataReference> XunitCoreAsync() => TestReferences.XunitCoreAsync();
    }
}
