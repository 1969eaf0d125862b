using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA201HardCodedKeyAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA201HardCodedKeyFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA201HardCodedKeyTests
{
    /// <summary>The code fix: read the key from configuration when an IConfiguration is in scope, else from the environment.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_reading_the_key_and_names_the_setting()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
using System.Security.Cryptography;
using System.Text;
class Svc
{
    byte[] Mac(byte[] data) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(""pepper""), data);
}");

            Assert.Equal(new (string, string?)[] { ("Read the key from the environment variable 'Keys__HmacKey'", "HIPAA201.ReadKey") }, offered);
        }

        [Fact]
        public Task Jwt_signing_key_is_read_from_the_builders_configuration_keeping_its_encoding() => VerifyFix.VerifyFixAsync(@"
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;

class Program
{
    static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var signingKey = new SymmetricSecurityKey({|HIPAA201:Encoding.UTF8.GetBytes(""clinic-jwt-signing-secret-0123456789abcdef"")|});
    }
}" + IdentityModel, @"
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;

class Program
{
    static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var signingKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(builder.Configuration[""Jwt:SigningKey""] ?? throw new System.InvalidOperationException(""The configuration value 'Jwt:SigningKey' is not set."")));
    }
}" + IdentityModel, HIPAA201Fix);

        [Fact]
        public Task Fix_all_reads_every_key_of_the_file_from_the_environment_without_configuration() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;

class Sealer
{
    private static readonly byte[] AesKey = new byte[] { 1, 2, 3, 4 };

    public void Seal(byte[] data)
    {
        using var gcm = new AesGcm({|HIPAA201:AesKey|}, 16);
        using var hmac = new HMACSHA256({|HIPAA201:Convert.FromBase64String(""c2VjcmV0LWhtYWMta2V5"")|});
        using var aes = Aes.Create();
        aes.Key = {|HIPAA201:new byte[] { 9, 9, 9, 9 }|};
    }
}", @"
using System;
using System.Security.Cryptography;

class Sealer
{
    private static readonly byte[] AesKey = new byte[] { 1, 2, 3, 4 };

    public void Seal(byte[] data)
    {
        using var gcm = new AesGcm(Convert.FromBase64String(Environment.GetEnvironmentVariable(""Keys__AesKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__AesKey' is not set."")), 16);
        using var hmac = new HMACSHA256(Convert.FromBase64String(Environment.GetEnvironmentVariable(""Keys__HmacKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__HmacKey' is not set."")));
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(Environment.GetEnvironmentVariable(""Keys__EncryptionKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__EncryptionKey' is not set.""));
    }
}", HIPAA201Fix);

        [Fact]
        public Task Injected_configuration_is_used_in_instance_members() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

class Pseudonyms
{
    private const string Pepper = ""clinic-pepper"";
    private readonly IConfiguration _configuration;

    public Pseudonyms(IConfiguration configuration) => _configuration = configuration;

    public byte[] Token(byte[] value) => HMACSHA256.HashData({|HIPAA201:Encoding.UTF8.GetBytes(Pepper)|}, value);
}", @"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

class Pseudonyms
{
    private const string Pepper = ""clinic-pepper"";
    private readonly IConfiguration _configuration;

    public Pseudonyms(IConfiguration configuration) => _configuration = configuration;

    public byte[] Token(byte[] value) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(_configuration[""Keys:Pepper""] ?? throw new InvalidOperationException(""The configuration value 'Keys:Pepper' is not set."")), value);
}", HIPAA201Fix);

        [Fact]
        public Task Private_key_pem_is_read_as_text() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;

static class Signer
{
    public static RSA Load()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem({|HIPAA201:""-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----""|});
        return rsa;
    }
}", @"
using System;
using System.Security.Cryptography;

static class Signer
{
    public static RSA Load()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(Environment.GetEnvironmentVariable(""Keys__PrivateKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__PrivateKey' is not set.""));
        return rsa;
    }
}", HIPAA201Fix);

        [Fact]
        public Task No_fix_for_a_hard_coded_iv_which_must_be_random_for_each_encryption() => VerifyFix.VerifyNoFixAsync(@"
using System.Security.Cryptography;

class Legacy
{
    private static readonly byte[] Iv = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    public void Configure(Aes aes) => aes.IV = {|HIPAA201:Iv|};
}");

        private const string HIPAA201Fix = "HIPAA201.ReadKey";
    }
}
