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

public partial class HIPAA106StaticIvOrSaltTests
{
    /// <summary>A zero IV on one path, as real helpers write it, and random IVs through the same shapes.</summary>
    public class ZeroIvOnOnePath
    {
        [Fact]
        public Task Reports_a_zero_iv_in_one_arm_of_a_conditional_or_a_helper_return() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;

class Crypto
{
    public static ICryptoTransform Encryptor(byte[] key, string? iv)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.IV = {|HIPAA106:iv != null ? Convert.FromBase64String(iv) : new byte[16]|};
        return aes.CreateEncryptor();
    }

    private static byte[] IvFor(string? stored) => stored is null ? new byte[16] : Convert.FromBase64String(stored);

    public static byte[] Encrypt(Aes aes, byte[] data, string? stored) => aes.EncryptCbc(data, {|HIPAA106:IvFor(stored)|});
}");

        [Fact]
        public Task Leaves_alone_ivs_filled_at_random_on_every_path() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;

class Crypto
{
    public static ICryptoTransform Encryptor(byte[] key, string? iv)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.IV = iv != null ? Convert.FromBase64String(iv) : RandomNumberGenerator.GetBytes(16);
        return aes.CreateEncryptor();
    }

    public static byte[] Encrypt(Aes aes, byte[] data) => Seal(aes, data, NewIv());

    private static byte[] NewIv()
    {
        var iv = new byte[16];
        RandomNumberGenerator.Fill(iv);
        return iv;
    }

    private static byte[] Seal(Aes aes, byte[] data, byte[] iv) => aes.EncryptCbc(data, iv);
}");
    }
}
