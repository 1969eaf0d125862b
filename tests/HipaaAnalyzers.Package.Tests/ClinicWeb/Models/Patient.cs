namespace ClinicWeb.Models;

public class Patient
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Ssn { get; set; } = "";

    public DateOnly DateOfBirth { get; set; }
}

public record NewPatient(string Name, string Ssn, DateOnly DateOfBirth);
