using Npgsql;

namespace ClinicWeb.Services;

/// <summary>Reads lab results from the laboratory system's database.</summary>
public class LabResultsRepository
{
    private const string LabConnectionString = "Host=lab-db.clinic.internal;Database=lab;Username=clinic_api;Password=Lab$Reader2026";

    public async Task<int> CountResultsAsync(Guid patientId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(LabConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select count(*) from results where patient_id = @id", connection);
        command.Parameters.AddWithValue("id", patientId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }
}
