using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA005PhiPersistedUnencryptedAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA005PhiPersistedUnencryptedFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA005PhiPersistedUnencryptedTests
{
    /// <summary>The code fix: [Encrypted] on the property, with the runtime's using added once.</summary>
    public class Fixes
    {
        private const string Context = @"
public class ClinicDbContext : Microsoft.EntityFrameworkCore.DbContext
{
    public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
}
";

        [Fact]
        public async Task Offers_encrypt()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(Context + @"
public class Patient
{
    public int Id { get; set; }
    public string Ssn { get; set; } = """";
}");

            Assert.Equal(new (string, string?)[] { ("Encrypt with [Encrypted]", "HIPAA005.Encrypt") }, offered);
        }

        [Fact]
        public Task Adds_Encrypted_to_every_phi_string_property_and_the_using_once() => VerifyFix.VerifyFixAsync(@"using System;
" + Context + @"
public class Patient
{
    public int Id { get; set; }

    public string {|HIPAA005:Ssn|} { get; set; } = """";

    /// <summary>Shown on the chart.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(64)]
    public string {|HIPAA005:LastName|} { get; set; } = """";

    public DateTime CreatedAt { get; set; }
}", @"using System;
using HipaaAnalyzers.Runtime;

public class ClinicDbContext : Microsoft.EntityFrameworkCore.DbContext
{
    public Microsoft.EntityFrameworkCore.DbSet<Patient> Patients => Set<Patient>();
}

public class Patient
{
    public int Id { get; set; }

    [Encrypted]
    public string Ssn { get; set; } = """";

    /// <summary>Shown on the chart.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(64)]
    [Encrypted]
    public string LastName { get; set; } = """";

    public DateTime CreatedAt { get; set; }
}");

        [Fact]
        public Task Offers_no_fix_for_a_property_the_ef_core_integration_cannot_encrypt() => VerifyFix.VerifyNoFixAsync(Context + @"
public class Patient
{
    public int Id { get; set; }
    public System.DateOnly {|HIPAA005:DateOfBirth|} { get; set; }
}");

        [Fact]
        public Task Offers_no_fix_without_the_runtime() => VerifyFix.VerifyNoFixAsync(Context + @"
public class Patient
{
    public int Id { get; set; }
    public string {|HIPAA005:Ssn|} { get; set; } = """";
}", referenceRuntime: false);
    }
}
