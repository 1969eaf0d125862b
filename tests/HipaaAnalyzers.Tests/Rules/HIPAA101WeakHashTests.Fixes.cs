using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA101WeakHashAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA101WeakHashFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA101WeakHashTests
{
    /// <summary>The code fix: SHA-256 and HMACSHA256 in place of MD5, SHA-1 and their HMACs.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_sha256()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync("""
                using System.Security.Cryptography;
                class C
                {
                    byte[] H(byte[] d) => MD5.HashData(d);
                    byte[] M(byte[] k, byte[] d) { using var h = new HMACSHA1(k); return h.ComputeHash(d); }
                }
                """);

            Assert.Equal(new (string, string?)[] { ("Use SHA-256", "HIPAA101.UseSha256"), ("Use HMACSHA256", "HIPAA101.UseSha256") }, offered);
        }

        [Fact]
        public Task A_local_named_after_the_old_algorithm_is_renamed_with_its_uses() => VerifyFix.VerifyFixAsync("""
            using System.Security.Cryptography;
            class Fingerprints
            {
                byte[] Of(byte[] data)
                {
                    using var md5 = {|HIPAA101:MD5.Create()|};
                    return md5.ComputeHash(data);
                }

                byte[] Keyed(byte[] key, byte[] data)
                {
                    using (var hmacSha1 = {|HIPAA101:new HMACSHA1(key)|})
                    {
                        return hmacSha1.ComputeHash(data);
                    }
                }

                byte[] Taken(byte[] data)
                {
                    var sha256 = 1;
                    using var sha1 = {|HIPAA101:SHA1.Create()|};
                    return sha1.ComputeHash(data);
                }
            }
            """, """
            using System.Security.Cryptography;
            class Fingerprints
            {
                byte[] Of(byte[] data)
                {
                    using var sha256 = SHA256.Create();
                    return sha256.ComputeHash(data);
                }

                byte[] Keyed(byte[] key, byte[] data)
                {
                    using (var hmacSha256 = new HMACSHA256(key))
                    {
                        return hmacSha256.ComputeHash(data);
                    }
                }

                byte[] Taken(byte[] data)
                {
                    var sha256 = 1;
                    using var sha1 = SHA256.Create();
                    return sha1.ComputeHash(data);
                }
            }
            """);

        [Theory]
        [InlineData("md5", "SHA256", "sha256")]
        [InlineData("md5Hasher", "SHA256", "sha256Hasher")]
        [InlineData("hashMd5", "SHA256", "hashSha256")]
        [InlineData("_sha1", "SHA256", "_sha256")]
        [InlineData("hmacMd5", "HMACSHA256", "hmacSha256")]
        [InlineData("HMACSHA1", "HMACSHA256", "HMACSHA256")]
        [InlineData("hasher", "SHA256", null)]
        public void New_names_keep_the_case_of_the_old_one(string name, string algorithm, string? expected) =>
            Assert.Equal(expected, HipaaAnalyzers.CodeFixes.Rules.HIPAA101WeakHashFixer.NewName(name, algorithm));

        [Fact]
        public Task Replaces_factories_types_one_shots_names_and_declared_types() => VerifyFix.VerifyFixAsync("""
            using System.IO;
            using System.Security.Cryptography;
            using System.Threading.Tasks;
            class Signer
            {
                private readonly MD5 _md5 = {|HIPAA101:MD5.Create()|};
                private SHA1 _sha1;

                Signer() { _sha1 = {|HIPAA101:SHA1.Create()|}; }

                async Task<byte[]> Run(byte[] data, byte[] key, Stream stream)
                {
                    MD5CryptoServiceProvider provider = {|HIPAA101:new MD5CryptoServiceProvider()|};
                    using var hmac = {|HIPAA101:new HMACMD5(key)|};
                    HMACSHA1 hmac1 = {|HIPAA101:new HMACSHA1()|};
                    var a = {|HIPAA101:MD5.HashData(data)|};
                    var b = {|HIPAA101:HMACMD5.HashData(key, data)|};
                    var c = await {|HIPAA101:SHA1.HashDataAsync(stream)|};
                    var d = {|HIPAA101:HashAlgorithm.Create("MD5")|};
                    var e = {|HIPAA101:CryptoConfig.CreateFromName("HMACSHA1")|};
                    using var f = IncrementalHash.CreateHash({|HIPAA101:HashAlgorithmName.SHA1|});
                    return _md5.ComputeHash(provider.ComputeHash(hmac.ComputeHash(hmac1.ComputeHash(data))));
                }
            }
            """, """
            using System.IO;
            using System.Security.Cryptography;
            using System.Threading.Tasks;
            class Signer
            {
                private readonly SHA256 _md5 = SHA256.Create();
                private SHA256 _sha1;

                Signer() { _sha1 = SHA256.Create(); }

                async Task<byte[]> Run(byte[] data, byte[] key, Stream stream)
                {
                    SHA256 provider = SHA256.Create();
                    using var hmac = new HMACSHA256(key);
                    HMACSHA256 hmac1 = new HMACSHA256();
                    var a = SHA256.HashData(data);
                    var b = HMACSHA256.HashData(key, data);
                    var c = await SHA256.HashDataAsync(stream);
                    var d = HashAlgorithm.Create("SHA256");
                    var e = CryptoConfig.CreateFromName("HMACSHA256");
                    using var f = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    return _md5.ComputeHash(provider.ComputeHash(hmac.ComputeHash(hmac1.ComputeHash(data))));
                }
            }
            """, "HIPAA101.UseSha256");

        [Fact]
        public Task Adds_the_using_when_the_file_has_none() => VerifyFix.VerifyFixAsync("""
            class C
            {
                byte[] H(byte[] d) => {|HIPAA101:System.Security.Cryptography.MD5.HashData(d)|};
            }
            """, """
            using System.Security.Cryptography;

            class C
            {
                byte[] H(byte[] d) => SHA256.HashData(d);
            }
            """);

        [Fact]
        public Task Offers_no_fix_where_the_result_would_not_fit() => VerifyFix.VerifyNoFixAsync("""
            using System;
            using System.Security.Cryptography;
            class C
            {
                // A 16-byte destination cannot take a SHA-256 hash; a parameter typed MD5 cannot take SHA256.
                int H(ReadOnlySpan<byte> d, Span<byte> destination) => {|HIPAA101:MD5.HashData(d, destination)|};
                void Use(MD5 md5) { }
                void Run() => Use({|HIPAA101:MD5.Create()|});
                bool Verify(RSA rsa, byte[] d, byte[] s) => rsa.VerifyData(d, s, {|HIPAA101:HashAlgorithmName.SHA1|}, RSASignaturePadding.Pkcs1);
                HMACSHA1 Managed(byte[] k) => {|HIPAA101:new HMACSHA1(k, true)|};
            }
            """);
    }
}
