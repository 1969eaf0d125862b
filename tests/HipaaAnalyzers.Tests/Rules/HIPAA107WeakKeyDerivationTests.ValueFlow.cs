using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA107WeakKeyDerivationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA107WeakKeyDerivationTests
{
    /// <summary>An iteration count that reaches the use through the value flow, in each shape of the NIST Juliet flow variants.</summary>
    public class ValueFlowShapes
    {
        private static readonly FlowCase Case = new(
            "using System.Security.Cryptography;",
            "int",
            "1000",
            "int.Parse(Console.ReadLine()!)",
            "_configuration.GetValue<int>(\"Crypto:Iterations\")",
            "{|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(new byte[] { 1 }, RandomNumberGenerator.GetBytes(16), {0}, HashAlgorithmName.SHA256, 32)|}");

        public static TheoryData<string> Reported => FlowShapes.Reported;

        public static TheoryData<string> Quiet => FlowShapes.Quiet;

        [Theory]
        [MemberData(nameof(Reported))]
        public Task Reports_the_value_through(string shape) => Verify.VerifyAsync(FlowShapes.Source(shape, Case));

        [Theory]
        [MemberData(nameof(Quiet))]
        public Task Leaves_alone_a_value_from(string shape) => Verify.VerifyAsync(FlowShapes.Source(shape, Case));
    }
}
