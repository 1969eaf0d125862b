using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA005PhiPersistedUnencryptedFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA005PhiPersistedUnencryptedTests
{
    /// <summary>The code fix: [Encrypted] on the property, with the runtime's using added once.</summary>
    public class Fixes
    {
        private const string Context = @"
public class ClinicDbContext : Microsoft.EntityFrameworkCore.DbContext
{
    public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
}
";

        [Fact]
        public async Task Offers_encrypt()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(Context + @"
public class Patient
{
    public System.Guid Id { get; set; }
    public string Ssn { get; set; } = """";
}");

            Assert.Equal(new (string, string?)[] { ("Encrypt with [Encrypted]", "HIPAA005.Encrypt") }, offered);
        }

        [Fact]
        public Task Adds_Encrypted_to_every_phi_string_property_and_the_using_once() => VerifyFix.VerifyFixAsync(@"using System;
" + Context + @"
public class Patient
{
    public System.Guid Id { get; set; }

    public string {|HIPAA005:Ssn|} { get; set; } = """";

    /// <summary>Shown on the chart.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(64)]
    public string {|HIPAA005:LastName|} { get; set; } = """";

    public DateTime CreatedAt { get; set; }
}", @"using System;
using HipaaAnalyzers.Runtime;

public class ClinicDbContext : Microsoft.EntityFrameworkCore.DbContext
{
    public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
}

public class Patient
{
    public System.Guid Id { get; set; }

    [Encrypted]
    public string Ssn { get; set; } = """";

    /// <summary>Shown on the chart.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(64)]
    [Encrypted]
    public string LastName { get; set; } = """";

    public DateTime CreatedAt { get; set; }
}");

        [Fact]
        public Task Encrypts_dates_numbers_and_other_value_types_too() => VerifyFix.VerifyFixAsync(@"using System;
" + Context + @"
public class Patient
{
    public Guid Id { get; set; }
    public DateOnly {|HIPAA005:DateOfBirth|} { get; set; }
    public DateTime? {|HIPAA005:DateOfDeath|} { get; set; }
    public string {|HIPAA005:Ssn|} { get; set; } = """";
}", @"using System;
using HipaaAnalyzers.Runtime;

public class ClinicDbContext : Microsoft.EntityFrameworkCore.DbContext
{
    public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
}

public class Patient
{
    public Guid Id { get; set; }
    [Encrypted]
    public DateOnly DateOfBirth { get; set; }
    [Encrypted]
    public DateTime? DateOfDeath { get; set; }
    [Encrypted]
    public string Ssn { get; set; } = """";
}");

        [Fact]
        public Task Offers_no_fix_on_an_entity_whose_key_the_database_generates() => VerifyFix.VerifyNoFixAsync(Context + @"
public class Patient
{
    public int Id { get; set; }
    public string {|HIPAA005:Ssn|} { get; set; } = """";
    public System.DateOnly {|HIPAA005:DateOfBirth|} { get; set; }
}");

        [Fact]
        public Task An_integer_key_the_application_assigns_gets_the_fix() => VerifyFix.VerifyFixAsync(Context + @"
public class Patient
{
    [System.ComponentModel.DataAnnotations.Key]
    [System.ComponentModel.DataAnnotations.Schema.DatabaseGenerated(System.ComponentModel.DataAnnotations.Schema.DatabaseGeneratedOption.None)]
    public int MedicalRecordId { get; set; }
    public string {|HIPAA005:Ssn|} { get; set; } = """";
}", @"
using HipaaAnalyzers.Runtime;

public class ClinicDbContext : Microsoft.EntityFrameworkCore.DbContext
{
    public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
}

public class Patient
{
    [System.ComponentModel.DataAnnotations.Key]
    [System.ComponentModel.DataAnnotations.Schema.DatabaseGenerated(System.ComponentModel.DataAnnotations.Schema.DatabaseGeneratedOption.None)]
    public int MedicalRecordId { get; set; }
    [Encrypted]
    public string Ssn { get; set; } = """";
}");

        [Fact]
        public Task Offers_no_fix_without_the_runtime() => VerifyFix.VerifyNoFixAsync(Context + @"
public class Patient
{
    public System.Guid Id { get; set; }
    public string {|HIPAA005:Ssn|} { get; set; } = """";
}", referenceRuntime: false);
    
        private static DiagnosticResult Hipaa005() => new("HIPAA005", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);

        private const string Infrastructure = @"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> {|#0:Patients|} => Set<Patient>();
}";

        private const string FixedInfrastructure = @"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> Patients => Set<Patient>();
}";

        private const string DomainPatient = @"namespace Clinic.Domain
{
    public class Patient
    {
        public System.Guid Id { get; set; }

        public string Ssn { get; set; } = """";

        public string LastName { get; set; } = """";
    }
}";

        private static CSharpCodeFixTest<HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer, HipaaAnalyzers.CodeFixes.Rules.HIPAA005PhiPersistedUnencryptedFixer, DefaultVerifier> WithDomainProject(
            string domain, string fixedDomain, bool domainReferencesRuntime)
        {
            var test = new CSharpCodeFixTest<HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer, HipaaAnalyzers.CodeFixes.Rules.HIPAA005PhiPersistedUnencryptedFixer, DefaultVerifier>
            {
                TestCode = Infrastructure,
                ReferenceAssemblies = TestReferences.Net10WithLoggers,
            };
            foreach (var (state, source) in new[] { (test.TestState, domain), (test.FixedState, fixedDomain) })
            {
                state.AdditionalReferences.Add(TestReferences.Runtime);
                state.AdditionalProjects["Clinic.Domain"].Sources.Add(source);
                if (domainReferencesRuntime)
                {
                    state.AdditionalProjects["Clinic.Domain"].AdditionalReferences.Add(TestReferences.Runtime);
                }

                state.AdditionalProjectReferences.Add("Clinic.Domain");
            }

            test.ExpectedDiagnostics.Add(Hipaa005().WithLocation(0)
                .WithArguments("Patient.Ssn", "name: social security number", "ClinicDbContext", " (declared in Clinic.Domain)"));
            test.ExpectedDiagnostics.Add(Hipaa005().WithLocation(0)
                .WithArguments("Patient.LastName", "name: person name", "ClinicDbContext", " (declared in Clinic.Domain)"));
            return test;
        }

        [Fact]
        public Task Adds_Encrypted_in_the_document_of_the_domain_project_that_declares_the_entity()
        {
            var test = WithDomainProject(DomainPatient, @"using HipaaAnalyzers.Runtime;

namespace Clinic.Domain
{
    public class Patient
    {
        public System.Guid Id { get; set; }

        [Encrypted]
        public string Ssn { get; set; } = """";

        [Encrypted]
        public string LastName { get; set; } = """";
    }
}", domainReferencesRuntime: true);
            test.FixedCode = FixedInfrastructure;

            // The test library counts Fix All in the document as needed only when the document itself changes; here the
            // document with the diagnostics (the DbContext's) stays as it is and the Domain project's changes.
            test.NumberOfFixAllInDocumentIterations = 1;
            return test.RunAsync(CancellationToken.None);
        }

        [Fact]
        public Task Offers_no_fix_when_the_domain_project_does_not_reference_the_runtime()
        {
            // The Infrastructure project references the runtime; the attribute goes in the Domain project, which does not.
            var test = WithDomainProject(DomainPatient, DomainPatient, domainReferencesRuntime: false);
            test.FixedCode = Infrastructure;
            return test.RunAsync(CancellationToken.None);
        }

        [Fact]
        public async Task Offers_no_fix_for_an_entity_whose_source_is_not_in_the_solution()
        {
            var domain = await TestReferences.AssemblyNamedAsync("Clinic.Domain", DomainPatient);
            var test = new CSharpCodeFixTest<HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer, HipaaAnalyzers.CodeFixes.Rules.HIPAA005PhiPersistedUnencryptedFixer, DefaultVerifier>
            {
                TestCode = Infrastructure,
                FixedCode = Infrastructure,
                ReferenceAssemblies = TestReferences.Net10WithLoggers,
            };
            foreach (var state in new[] { test.TestState, test.FixedState })
            {
                state.AdditionalReferences.Add(TestReferences.Runtime);
                state.AdditionalReferences.Add(domain);
            }

            test.ExpectedDiagnostics.Add(Hipaa005().WithLocation(0)
                .WithArguments("Patient.Ssn", "name: social security number", "ClinicDbContext", " (declared in Clinic.Domain)"));
            test.ExpectedDiagnostics.Add(Hipaa005().WithLocation(0)
                .WithArguments("Patient.LastName", "name: person name", "ClinicDbContext", " (declared in Clinic.Domain)"));
            await test.RunAsync(CancellationToken.None);
        }
    }
}
