using ClinicWeb.Models;

namespace ClinicWeb.Services;

/// <summary>Asks the payer whether a patient is covered.</summary>
public class EligibilityClient(HttpClient http)
{
    public async Task<bool> IsCoveredAsync(Patient patient, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"https://eligibility.payer.example/v1/coverage?ssn={patient.Ssn}", cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
