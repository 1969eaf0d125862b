using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace ClinicApi.Patients;

/// <summary>An in-memory patient store; a real deployment keeps charts in an encrypted database.</summary>
public sealed class PatientRepository
{
    private readonly ConcurrentDictionary<int, Patient> _patients = new();
    private int _lastId;

    public Patient? Find(int id) => _patients.TryGetValue(id, out var patient) ? patient : null;

    public Patient? FindBySsn(string ssn) => _patients.Values.FirstOrDefault(p => p.Ssn == ssn);

    public IReadOnlyList<Patient> Admitted() => _patients.Values.Where(p => p.AdmittedAt is not null).ToList();

    public Patient Add(Patient patient)
    {
        patient.Id = Interlocked.Increment(ref _lastId);
        patient.MedicalRecordNumber = $"MRN{patient.Id:D8}";
        _patients[patient.Id] = patient;
        return patient;
    }
}
