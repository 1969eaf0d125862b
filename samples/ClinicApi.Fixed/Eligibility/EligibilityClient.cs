using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using ClinicApi.Patients;
using HipaaAnalyzers.Runtime;
using Microsoft.Extensions.Logging;

namespace ClinicApi.Eligibility;

/// <summary>The payer's answer to an eligibility inquiry.</summary>
public sealed record CoverageStatus(bool IsActive, string? PlanName);

/// <summary>What the payer needs to find the member; sent as the request body, never in the URL.</summary>
public sealed record EligibilityInquiry(string MemberId, DateOnly DateOfBirth);

/// <summary>Asks the payer's eligibility service whether a patient's insurance is active.</summary>
public sealed class EligibilityClient
{
    private readonly HttpClient _http;
    private readonly ILogger<EligibilityClient> _logger;

    public EligibilityClient(HttpClient http, ILogger<EligibilityClient> logger)
    {
        _http = http;
        _logger = logger;
    }

    public async Task<CoverageStatus> CheckCoverageAsync(Patient patient, CancellationToken cancellationToken)
    {
        if (patient.InsuranceMemberId is null)
        {
            _logger.LogInformation("Patient {PatientId} is self-pay; no eligibility check", patient.Id);
            return new CoverageStatus(IsActive: false, PlanName: null);
        }

        _logger.LogInformation("Checking coverage for member {MemberId}", Phi.Redact(patient.InsuranceMemberId));
        var inquiry = new EligibilityInquiry(patient.InsuranceMemberId, patient.DateOfBirth);
        using var response = await _http.PostAsJsonAsync("v1/eligibility/inquiries", inquiry, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"The payer has no record of the member insuring patient {patient.Id}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            _logger.LogWarning("Eligibility service returned {StatusCode}", response.StatusCode);
            throw new HttpRequestException($"Eligibility service returned {(int)response.StatusCode}");
        }

        var coverage = await response.Content.ReadFromJsonAsync<CoverageStatus>(cancellationToken);
        _logger.LogInformation("Coverage for patient {PatientId}: {Plan}", patient.Id, coverage?.PlanName);
        return coverage ?? new CoverageStatus(IsActive: false, PlanName: null);
    }
}
