using System;

namespace ClinicApi.Patients;

/// <summary>A patient chart as the clinic stores it.</summary>
public sealed class Patient
{
    public int Id { get; set; }

    public string MedicalRecordNumber { get; set; } = string.Empty;

    public string Ssn { get; set; } = string.Empty;

    public string FirstName { get; set; } = string.Empty;

    public string LastName { get; set; } = string.Empty;

    public DateOnly DateOfBirth { get; set; }

    public string Email { get; set; } = string.Empty;

    public string Phone { get; set; } = string.Empty;

    public string? InsuranceMemberId { get; set; }

    public string? Ward { get; set; }

    public DateTimeOffset? AdmittedAt { get; set; }

    public string FullName => $"{FirstName} {LastName}";
}

/// <summary>What the API returns for a patient.</summary>
public sealed record PatientSummary(int Id, string MedicalRecordNumber, string FullName, DateOnly DateOfBirth, string? Ward)
{
    public static PatientSummary From(Patient patient) =>
        new(patient.Id, patient.MedicalRecordNumber, patient.FullName, patient.DateOfBirth, patient.Ward);
}

/// <summary>The admission form filled in at the front desk.</summary>
public sealed record AdmissionRequest(
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    string Ssn,
    string Email,
    string Phone,
    string? InsuranceMemberId,
    string Ward);
