using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA005PhiPersistedUnencryptedTests
{
    [Fact]
    public Task Reports_phi_properties_of_entities_in_a_DbSet() => Verify.VerifyAsync(@"
using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> Patients => Set<Patient>();
}

public class Patient
{
    public int Id { get; set; }
    public string {|HIPAA005:Ssn|} { get; set; } = """";
    public string {|HIPAA005:FirstName|} { get; set; } = """";
    public DateOnly {|HIPAA005:DateOfBirth|} { get; set; }
    public string? {|HIPAA005:Email|} { get; set; }
    public bool IsActive { get; set; }
    public List<Visit> Visits { get; set; } = new();
}

public class Visit
{
    public int Id { get; set; }
    public int PatientId { get; set; }
    public string {|HIPAA005:Diagnosis|} { get; set; } = """";
    public DateTime CreatedAt { get; set; }
}");

    [Fact]
    public Task Reports_entities_configured_in_OnModelCreating_and_configuration_classes() => Verify.VerifyAsync(@"
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

public class ClinicDbContext : DbContext
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LabResult>(b => b.HasKey(x => x.Id));
        modelBuilder.ApplyConfiguration(new MemberConfiguration());
    }
}

public class LabResult
{
    public int Id { get; set; }
    public string {|HIPAA005:Diagnosis|} { get; set; } = """";
    public string {|HIPAA005:MedicalRecordNumber|} { get; set; } = """";
}

public class Member
{
    public int Id { get; set; }
    public string {|HIPAA005:MemberId|} { get; set; } = """";
}

public class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder) => builder.HasKey(x => x.Id);
}");

    [Fact]
    public Task Leaves_alone_encrypted_ignored_and_unstored_properties() => Verify.VerifyAsync(@"
using System.ComponentModel.DataAnnotations.Schema;
using HipaaAnalyzers.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> Patients => Set<Patient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Patient>(b =>
        {
            b.Ignore(p => p.Notes);
            b.Property(p => p.Phone).HasMaxLength(32).HasConversion(new EncryptingStringConverter());
            b.Property(p => p.Fax).HasConversion<EncryptedStringConverter>();
        });
    }
}

public class Patient
{
    public int Id { get; set; }
    [Encrypted] public string Ssn { get; set; } = """";
    [NotMapped] public string MedicalRecordNumber { get; set; } = """";
    public string Notes { get; set; } = """";
    public string Phone { get; set; } = """";
    public string Fax { get; set; } = """";
    public string DisplayName => ""Patient #"" + Id;
    public string Status { get; set; } = """";
}

public class EncryptingStringConverter : ValueConverter<string, string>
{
    public EncryptingStringConverter() : base(v => v, v => v) { }
}

public class EncryptedStringConverter : ValueConverter<string, string>
{
    public EncryptedStringConverter() : base(v => v, v => v) { }
}

// Not stored: no DbContext names it, so its PHI is not persisted by EF Core (other rules look at logs and endpoints).
public class PatientDto
{
    public string Ssn { get; set; } = """";
    public string FirstName { get; set; } = """";
}");

    [Fact]
    public Task Leaves_alone_entities_without_phi_and_code_without_ef_core() => Verify.VerifyAsync(@"
using System;
using Microsoft.EntityFrameworkCore;

public class CatalogDbContext : DbContext
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
}

public class Product
{
    public int Id { get; set; }
    public string Name { get; set; } = """";
    public string Sku { get; set; } = """";
    public decimal Price { get; set; }
    public string Email { get; set; } = """";
}

public class AuditEntry
{
    public long Id { get; set; }
    public string UserName { get; set; } = """";
    public DateTime Timestamp { get; set; }
    public string PrescriptionId { get; set; } = """";
}");

    [Fact]
    public Task Reports_properties_inherited_from_a_base_entity_and_owned_types() => Verify.VerifyAsync(@"
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Inpatient> Inpatients => Set<Inpatient>();
}

public abstract class Person
{
    public int Id { get; set; }
    public string {|HIPAA005:LastName|} { get; set; } = """";
}

public class Inpatient : Person
{
    public string {|HIPAA005:Mrn|} { get; set; } = """";
    public Insurance Insurance { get; set; } = new();
}

[Owned]
public class Insurance
{
    public string {|HIPAA005:HealthPlanBeneficiaryNumber|} { get; set; } = """";
    public string Carrier { get; set; } = """";
}");

    [Fact]
    public Task Honours_phi_attributes_and_NotPhi() => Verify.VerifyAsync(@"
using HipaaAnalyzers.Runtime;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Encounter> Encounters => Set<Encounter>();
}

public class Encounter
{
    public int Id { get; set; }
    [Phi] public string {|HIPAA005:ChiefComplaint|} { get; set; } = """";
    [NotPhi] public string Diagnosis { get; set; } = """";
}");
}
