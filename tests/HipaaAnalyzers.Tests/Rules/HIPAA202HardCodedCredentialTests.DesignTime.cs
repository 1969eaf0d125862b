using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA202HardCodedCredentialAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA202HardCodedCredentialTests
{
    [Fact]
    public Task Design_time_factories_for_the_ef_tools_are_left_alone_and_the_runtime_context_is_not() => Verify.VerifyAsync(@"
using Microsoft.EntityFrameworkCore;
namespace Microsoft.EntityFrameworkCore.Design
{
    public interface IDesignTimeDbContextFactory<out TContext> { TContext CreateDbContext(string[] args); }
}
namespace Clinic
{
    public class ClinicDbContext : DbContext
    {
        public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }
    }

    public class ClinicDbContextFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<ClinicDbContext>
    {
        public ClinicDbContext CreateDbContext(string[] args)
        {
            var options = new DbContextOptionsBuilder<ClinicDbContext>();
            var connection = ""Host=localhost;Database=clinic;Username=postgres;Password=temp1234"";
            return new ClinicDbContext(options.Options);
        }
    }

    public class Startup
    {
        public string Connection = {|HIPAA202:""Host=db.clinic.net;Database=clinic;Username=app;Password=Pr0duct10n!""|};
    }
}");
}
