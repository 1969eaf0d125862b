using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>
/// Entities declared in a Domain project and stored by a DbContext of an Infrastructure project that references it:
/// reported on the DbSet (or configuration) in the Infrastructure project, once per column.
/// </summary>
public partial class HIPAA005PhiPersistedUnencryptedTests
{
    private const string Domain = "Clinic.Domain";

    /// <summary>The Domain project, as the test library names it.</summary>
    private const string DomainFile = "Clinic.Domain";

    private const string DomainEntities = @"
using System;

namespace Clinic.Domain
{
    public abstract class Person
    {
        public int Id { get; set; }
        public string FirstName { get; set; } = """";
    }

    public class Patient : Person
    {
        public string Ssn { get; set; } = """";
        public DateOnly DateOfBirth { get; set; }
        public bool IsActive { get; set; }
        public Address Address { get; set; } = new();
        public Insurance Insurance { get; set; } = new();
        public string FullName => FirstName;
    }

    public class Doctor : Person
    {
        public string LicenseNumber { get; set; } = """";
    }

    public class Address
    {
        public string Street { get; set; } = """";
        public string City { get; set; } = """";
        public string ZipCode { get; set; } = """";
    }

    public class Insurance
    {
        public string HealthPlanBeneficiaryNumber { get; set; } = """";
        public string Carrier { get; set; } = """";
    }
}";

    private static CSharpAnalyzerTest<HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer, DefaultVerifier> WithDomainProject(
        string infrastructure, string domain, bool domainReferencesRuntime = false)
    {
        var test = Verify.Create(infrastructure);
        var project = test.TestState.AdditionalProjects[Domain];
        project.Sources.Add(domain);
        if (domainReferencesRuntime)
        {
            project.AdditionalReferences.Add(TestReferences.Runtime);
        }

        test.TestState.AdditionalProjectReferences.Add(Domain);
        return test;
    }

    private static DiagnosticResult Stored(int location, string what, string why, string context = "ClinicDbContext", string declaredIn = DomainFile) =>
        Verify.Diagnostic("HIPAA005").WithLocation(location).WithArguments(what, why, context, " (declared in " + declaredIn + ")");

    [Fact]
    public async Task Reports_entities_of_a_referenced_domain_project_on_the_DbSet_that_stores_them()
    {
        var test = WithDomainProject(@"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;

namespace Clinic.Infrastructure
{
    public class ClinicDbContext : DbContext
    {
        // A doctor's name is workforce data: the name Person declares is reported where it is a patient's.
        public DbSet<Doctor> Doctors => Set<Doctor>();
        public DbSet<Patient> {|#0:Patients|} => Set<Patient>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Patient>(b =>
            {
                b.OwnsOne(p => p.Address);
                b.OwnsOne(p => p.Insurance);
            });
        }
    }
}", DomainEntities);
        test.ExpectedDiagnostics.AddRange(new[]
        {
            Stored(0, "Patient.Ssn", "name: social security number"),
            Stored(0, "Patient.DateOfBirth", "name: date of birth"),
            Stored(0, "Person.FirstName", "name: person name"),
            Stored(0, "Insurance.HealthPlanBeneficiaryNumber", "name: health plan beneficiary number"),
        });
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Reports_each_column_once_whichever_DbSets_reach_it()
    {
        var test = WithDomainProject(@"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Visit> {|#1:Visits|} => Set<Visit>();
    public DbSet<Patient> {|#0:Patients|} { get; set; } = null!;
}

public class ReportingDbContext : DbContext
{
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Visit> Visits => Set<Visit>();
}", @"
using System.Collections.Generic;

namespace Clinic.Domain
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public List<Visit> Visits { get; set; } = new();
    }

    public class Visit
    {
        public int Id { get; set; }
        public int PatientId { get; set; }
        public Patient Patient { get; set; } = null!;
        public string Diagnosis { get; set; } = """";
    }
}");
        test.ExpectedDiagnostics.AddRange(new[]
        {
            Stored(0, "Patient.Ssn", "name: social security number"),
            Stored(1, "Visit.Diagnosis", "name: diagnosis"),
        });
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Reports_on_the_configuration_class_or_call_when_no_DbSet_names_the_entity()
    {
        var test = WithDomainProject(@"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

public class ClinicDbContext : DbContext
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);
        modelBuilder.{|#1:Entity<LabResult>|}(b => b.HasKey(x => x.Id));
    }
}

public class {|#0:PatientConfiguration|} : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Ssn).HasMaxLength(11);
    }
}", @"
namespace Clinic.Domain
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public string MedicalRecordNumber { get; set; } = """";
    }

    public class LabResult
    {
        public int Id { get; set; }
        public string Diagnosis { get; set; } = """";
    }
}");
        test.ExpectedDiagnostics.AddRange(new[]
        {
            Stored(0, "Patient.Ssn", "name: social security number", "IEntityTypeConfiguration<Patient>"),
            Stored(0, "Patient.MedicalRecordNumber", "name: medical record number", "IEntityTypeConfiguration<Patient>"),
            Stored(1, "LabResult.Diagnosis", "name: diagnosis"),
        });
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Leaves_alone_domain_columns_the_infrastructure_configuration_encrypts_or_ignores() => WithDomainProject(@"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> Patients => Set<Patient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);
}

public class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> builder)
    {
        builder.Property(p => p.Ssn).HasConversion(v => FieldCrypto.Encrypt(v), v => FieldCrypto.Decrypt(v));
        builder.Property(p => p.LastName).HasConversion<EncryptedStringConverter>();
        builder.Property(p => p.FirstName).HasConversion(new ValueConverter<string, string>(v => FieldCrypto.Encrypt(v), v => FieldCrypto.Decrypt(v)));
        builder.Ignore(p => p.Notes);
    }
}

public static class FieldCrypto
{
    public static string Encrypt(string value) => value;
    public static string Decrypt(string value) => value;
}

public class EncryptedStringConverter : ValueConverter<string, string>
{
    public EncryptedStringConverter() : base(v => FieldCrypto.Encrypt(v), v => FieldCrypto.Decrypt(v)) { }
}", @"
using System.ComponentModel.DataAnnotations.Schema;
using HipaaAnalyzers.Runtime;

namespace Clinic.Domain
{
    public class Person
    {
        public int Id { get; set; }
        public string FirstName { get; set; } = """";
        public string LastName { get; set; } = """";
    }

    public class Patient : Person
    {
        public string Ssn { get; set; } = """";
        [Encrypted] public string MedicalRecordNumber { get; set; } = """";
        [NotMapped] public string Diagnosis { get; set; } = """";
        public string Notes { get; set; } = """";
    }
}", domainReferencesRuntime: true).RunAsync(CancellationToken.None);

    [Fact]
    public Task Leaves_alone_domain_types_without_phi_and_those_no_DbContext_stores() => WithDomainProject(@"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;

public class CatalogDbContext : DbContext
{
    public DbSet<ProductDto> Products => Set<ProductDto>();
}", @"
namespace Clinic.Domain
{
    public class ProductDto
    {
        public int Id { get; set; }
        public string Name { get; set; } = """";
        public string Sku { get; set; } = """";
        public decimal Price { get; set; }
    }

    public class PatientDto
    {
        public string Ssn { get; set; } = """";
        public string FirstName { get; set; } = """";
    }
}").RunAsync(CancellationToken.None);

    [Fact]
    public async Task The_domain_project_itself_reports_nothing()
    {
        // The Domain project is the one under test; the Infrastructure project that stores its Patient is judged too,
        // and only it reports, once per column.
        var test = Verify.Create(@"
namespace Clinic.Domain
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
    }
}");
        var infrastructure = test.TestState.AdditionalProjects["Clinic.Infrastructure"];
        infrastructure.Sources.Add(@"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> {|#0:Patients|} => Set<Patient>();
}");
        infrastructure.AdditionalProjectReferences.Add("TestProject");
        test.ExpectedDiagnostics.Add(Stored(0, "Patient.Ssn", "name: social security number", declaredIn: "TestProject"));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Names_the_assembly_of_a_compiled_reference()
    {
        var test = Verify.Create(@"
using Clinic.Domain;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> {|#0:Patients|} => Set<Patient>();
}");
        test.TestState.AdditionalReferences.Add(await TestReferences.AssemblyNamedAsync(Domain, DomainEntities));
        test.ExpectedDiagnostics.AddRange(new[]
        {
            Stored(0, "Patient.Ssn", "name: social security number", declaredIn: Domain),
            Stored(0, "Patient.DateOfBirth", "name: date of birth", declaredIn: Domain),
            Stored(0, "Person.FirstName", "name: person name", declaredIn: Domain),
            Stored(0, "Insurance.HealthPlanBeneficiaryNumber", "name: health plan beneficiary number", declaredIn: Domain),
        });
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Leaves_alone_properties_converted_by_a_lambda_that_encrypts() => Verify.VerifyAsync(@"
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> Patients => Set<Patient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Patient>().Property(p => p.Ssn).HasConversion(v => Encrypt(v), v => Decrypt(v));

    private static string Encrypt(string value) => value;
    private static string Decrypt(string value) => value;
}

public class Patient
{
    public int Id { get; set; }
    public string Ssn { get; set; } = """";
    public string {|HIPAA005:MedicalRecordNumber|} { get; set; } = """";
}");
}
