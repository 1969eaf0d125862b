using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA106StaticIvOrSaltAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA106StaticIvOrSaltTests
{
    /// <summary>An IV's text that reaches the use through the value flow, in each shape of the NIST Juliet flow variants.</summary>
    public class ValueFlowShapes
    {
        private static readonly FlowCase Case = new(
            "using System.Security.Cryptography;\nusing System.Text;",
            "string",
            "\"0123456789abcdef\"",
            "Console.ReadLine()!",
            "_configuration[\"Crypto:Iv\"]!",
            "Aes.Create().EncryptCbc(new byte[16], {|HIPAA106:Encoding.UTF8.GetBytes({0})|})");

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
