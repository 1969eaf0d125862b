using ClinicWeb.Models;
using Microsoft.EntityFrameworkCore;

namespace ClinicWeb.Data;

public class ClinicDbContext(DbContextOptions<ClinicDbContext> options) : DbContext(options)
{
    public DbSet<Patient> Patients => Set<Patient>();
}
