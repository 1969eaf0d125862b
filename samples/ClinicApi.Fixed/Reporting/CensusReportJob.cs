using System;
using System.Threading;
using System.Threading.Tasks;
using ClinicApi.Patients;
using Microsoft.Extensions.Hosting;

namespace ClinicApi.Reporting;

/// <summary>Every hour, reports the census and flags long stays for case management.</summary>
public sealed class CensusReportJob : BackgroundService
{
    // This job predates the move to Microsoft.Extensions.Logging and still writes through Serilog.
    private static readonly Serilog.ILogger Logger = Serilog.Log.ForContext<CensusReportJob>();
    private static readonly TimeSpan LongStay = TimeSpan.FromDays(30);

    private readonly PatientRepository _repository;
    private readonly TimeProvider _clock;

    public CensusReportJob(PatientRepository repository, TimeProvider clock)
    {
        _repository = repository;
        _clock = clock;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), _clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var admitted = _repository.Admitted();
            Logger.Information("Census: {AdmittedCount} patients admitted", admitted.Count);

            var now = _clock.GetUtcNow();
            foreach (var patient in admitted)
            {
                if (now - patient.AdmittedAt > LongStay)
                {
                    Logger.Warning("Long stay flagged for patient {PatientId}", patient.Id);
                }
            }
        }
    }
}
