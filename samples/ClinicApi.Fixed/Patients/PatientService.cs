using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using ClinicApi.Eligibility;
using HipaaAnalyzers.Runtime;
using Microsoft.Extensions.Logging;

namespace ClinicApi.Patients;

/// <summary>Looks patients up and admits them.</summary>
public sealed class PatientService
{
    private static readonly ActivitySource Tracing = new("ClinicApi.Patients");
    private static readonly Meter Metrics = new("ClinicApi.Patients");
    private static readonly Counter<int> Admissions = Metrics.CreateCounter<int>("clinic.admissions");

    private readonly PatientRepository _repository;
    private readonly EligibilityClient _eligibility;
    private readonly TimeProvider _clock;
    private readonly ILogger<PatientService> _logger;

    public PatientService(PatientRepository repository, EligibilityClient eligibility, TimeProvider clock, ILogger<PatientService> logger)
    {
        _repository = repository;
        _eligibility = eligibility;
        _clock = clock;
        _logger = logger;
    }

    public Patient GetById(int id)
    {
        _logger.LogInformation("Loading patient {PatientId}", id);
        return _repository.Find(id) ?? throw new PatientNotFoundException(id);
    }

    public Patient? FindBySsn(string ssn)
    {
        using var activity = Tracing.StartActivity("patients.search-by-ssn");

        // A keyed pseudonym lets support correlate repeated searches without seeing the SSN.
        var searchRef = Phi.Pseudonymize(ssn);
        activity?.SetTag("patient.search_ref", searchRef);

        var patient = _repository.FindBySsn(ssn);
        if (patient is null)
        {
            _logger.LogWarning("No patient found for SSN search {SearchRef}", searchRef);
            return null;
        }

        activity?.SetTag("patient.id", patient.Id);
        _logger.LogInformation("SSN search matched patient {PatientId}", patient.Id);
        return patient;
    }

    public async Task<Patient> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Ssn))
        {
            throw new ArgumentException("An SSN is required to admit a patient.", nameof(request));
        }

        using var activity = Tracing.StartActivity("patients.admit");
        using var scope = _logger.BeginScope("Admitting {AdmissionRef}", Phi.Pseudonymize(request.Ssn));

        var existing = _repository.FindBySsn(request.Ssn);
        if (existing is not null)
        {
            _logger.LogWarning("Duplicate admission attempt for {PatientRef}", Phi.Pseudonymize(request.Ssn));
            throw new DuplicatePatientException($"The SSN is already registered to patient {existing.Id}.");
        }

        var patient = _repository.Add(new Patient
        {
            FirstName = request.FirstName,
            LastName = request.LastName,
            DateOfBirth = request.DateOfBirth,
            Ssn = request.Ssn,
            Email = request.Email,
            Phone = request.Phone,
            InsuranceMemberId = request.InsuranceMemberId,
            Ward = request.Ward,
            AdmittedAt = _clock.GetUtcNow(),
        });

        activity?.SetTag("patient.id", patient.Id);
        Admissions.Add(1, new KeyValuePair<string, object?>("ward", patient.Ward));

        var coverage = await _eligibility.CheckCoverageAsync(patient, cancellationToken);
        if (!coverage.IsActive)
        {
            _logger.LogWarning("No active coverage for patient {PatientId}", patient.Id);
        }

        _logger.LogInformation("Admitted patient {PatientId} to ward {Ward}", patient.Id, patient.Ward);
        _logger.LogInformation("Admission confirmation queued for patient {PatientId}", patient.Id);
        return patient;
    }
}

/// <summary>No chart has the requested id.</summary>
public sealed class PatientNotFoundException : Exception
{
    public PatientNotFoundException(int patientId)
        : base($"Patient {patientId} was not found.")
    {
        PatientId = patientId;
    }

    public int PatientId { get; }
}

/// <summary>The person being admitted already has a chart.</summary>
public sealed class DuplicatePatientException : Exception
{
    public DuplicatePatientException(string message)
        : base(message)
    {
    }
}
