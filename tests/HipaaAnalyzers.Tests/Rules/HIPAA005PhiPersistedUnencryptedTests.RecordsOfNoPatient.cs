using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Columns that hold no patient's record: staff, catalog entries, foreign keys, counts, dates with no patient beside them.</summary>
public partial class HIPAA005PhiPersistedUnencryptedTests
{
    [Fact]
    public Task Staff_catalog_and_keys_are_not_reported_while_the_patient_records_are() => Verify.VerifyAsync(@"
using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Doctor> Doctors => Set<Doctor>();
    public DbSet<Medication> Medications => Set<Medication>();
    public DbSet<Billing> Billings => Set<Billing>();
    public DbSet<Prescription> Prescriptions => Set<Prescription>();
    public DbSet<AvailabilitySlot> Slots => Set<AvailabilitySlot>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<DrugProduct> Drugs => Set<DrugProduct>();
}

public class Person
{
    public string FirstName { get; set; } = """";
    public DateTime DateOfBirth { get; set; }
}

public class Doctor : Person
{
    public int Id { get; set; }
    public string Email { get; set; } = """";
    public string LicenseNumber { get; set; } = """";
    public List<Appointment> Appointments { get; set; } = new();
}

public class Medication
{
    public int Id { get; set; }
    public string MedicationName { get; set; } = """";
    public decimal MedicationPrice { get; set; }
}

public class DrugProduct
{
    public int Id { get; set; }
    public string BrandName { get; set; } = """";
    public string DrugIdentificationNumber { get; set; } = """";
}

public class Insurance
{
    public int Id { get; set; }
    public string CompanyName { get; set; } = """";
}

public class Billing
{
    public int Id { get; set; }
    public int InsuranceId { get; set; }
    public Insurance Insurance { get; set; } = null!;
    public string InsuranceAddress { get; set; } = """";
    public int ActivePrescriptions { get; set; }
}

public class AvailabilitySlot
{
    public int Id { get; set; }
    public int DoctorId { get; set; }
    public DateTime AppointmentDate { get; set; }
}

public class Prescription
{
    public int Id { get; set; }
    public int PatientId { get; set; }
    public string {|HIPAA005:PrescriptionNumber|} { get; set; } = """";
    public string {|HIPAA005:Medication|} { get; set; } = """";
}

public class Appointment
{
    public int Id { get; set; }
    public int PatientId { get; set; }
    public DateTime {|HIPAA005:AppointmentDate|} { get; set; }
    public string {|HIPAA005:Diagnosis|} { get; set; } = """";
}");
}

public partial class HIPAA005PhiPersistedUnencryptedTests
{
    [Fact]
    public Task Owned_value_objects_are_judged_by_their_owner() => Verify.VerifyAsync(@"
using System;
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Clinic> Clinics => Set<Clinic>();
}

public class Address
{
    public string {|HIPAA005:Street|} { get; set; } = """";
    public string {|HIPAA005:City|} { get; set; } = """";
    public string Country { get; set; } = """";
}

public class Patient
{
    public int Id { get; set; }
    public string {|HIPAA005:Ssn|} { get; set; } = """";
    public Address HomeAddress { get; set; } = new();
}

public class Clinic
{
    public int Id { get; set; }
    public string Name { get; set; } = """";
    public Address Location { get; set; } = new();
}");

    [Fact]
    public Task Value_objects_of_staff_and_places_only_are_not_reported() => Verify.VerifyAsync(@"
using Microsoft.EntityFrameworkCore;

public class ClinicDbContext : DbContext
{
    public DbSet<Doctor> Doctors => Set<Doctor>();
    public DbSet<Clinic> Clinics => Set<Clinic>();
}

public class Address
{
    public string Street { get; set; } = """";
    public string City { get; set; } = """";
}

public class Doctor
{
    public int Id { get; set; }
    public Address Office { get; set; } = new();
}

public class Clinic
{
    public int Id { get; set; }
    public Address Location { get; set; } = new();
}");
}

/// <summary>The name or email of whoever prescribed, recorded or changed a record is the actor's, not the patient's.</summary>
public partial class HIPAA005PhiPersistedUnencryptedTests
{
    [Fact]
    public Task Names_of_who_did_something_to_the_record_are_not_reported() => Verify.VerifyAsync(@"
using Microsoft.EntityFrameworkCore;

public class RecordsDbContext : DbContext
{
    public DbSet<Prescription> Prescriptions => Set<Prescription>();
}

public class Prescription
{
    public int Id { get; set; }
    public string {|#0:MedicationName|} { get; private set; } = """";
    public string {|#1:PatientName|} { get; private set; } = """";
    public string PrescribedByName { get; private set; } = """";
    public string CreatedByEmail { get; set; } = """";
    public string? LastModifiedByName { get; set; }
}",
        Verify.Diagnostic("HIPAA005").WithLocation(0).WithArguments("Prescription.MedicationName", "name: medication", "RecordsDbContext", ""),
        Verify.Diagnostic("HIPAA005").WithLocation(1).WithArguments("Prescription.PatientName", "name: person name", "RecordsDbContext", ""));
}
