using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA101WeakHashAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA101WeakHashTests
{
    [Fact]
    public Task Reports_weak_hashes_by_type_factory_name_and_one_shot_api() => Verify.VerifyAsync("""
        using System.IO;
        using System.Security.Cryptography;
        using System.Threading.Tasks;
        class Signer
        {
            async Task Run(byte[] data, byte[] key, Stream stream)
            {
                using var a = {|HIPAA101:new MD5CryptoServiceProvider()|};
                using var b = {|HIPAA101:MD5.Create()|};
                using var c = {|HIPAA101:SHA1.Create()|};
                using var d = {|HIPAA101:new HMACMD5(key)|};
                using var e = {|HIPAA101:new HMACSHA1(key)|};
                using var f = {|HIPAA101:new SHA1Managed()|};
                var g = {|HIPAA101:HashAlgorithm.Create("MD5")|};
                var h = {|HIPAA101:CryptoConfig.CreateFromName("SHA1")|};
                var i = {|HIPAA101:KeyedHashAlgorithm.Create("HMACMD5")|};
                var j = {|HIPAA101:CryptoConfig.CreateFromName("RIPEMD160")|};
                var k = {|HIPAA101:MD5.HashData(data)|};
                var l = {|HIPAA101:SHA1.HashData(data)|};
                var m = {|HIPAA101:HMACMD5.HashData(key, data)|};
                var n = await {|HIPAA101:SHA1.HashDataAsync(stream)|};
                using var o = IncrementalHash.CreateHash({|HIPAA101:HashAlgorithmName.SHA1|});
                using var rsa = RSA.Create();
                var sig = rsa.SignData(data, {|HIPAA101:HashAlgorithmName.SHA1|}, RSASignaturePadding.Pss);
                var p = CryptographicOperations.HashData({|HIPAA101:HashAlgorithmName.MD5|}, data);
            }
        }
        """);

    [Fact]
    public Task Reports_declared_weak_types_and_password_hashing() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        using System.Text;
        class Accounts
        {
            private readonly MD5 _md5 = {|HIPAA101:MD5.Create()|};
            public string HashPassword(string password) =>
                System.Convert.ToHexString({|HIPAA101:MD5.HashData(Encoding.UTF8.GetBytes(password))|});
        }
        """);

    [Fact]
    public Task Does_not_report_strong_hashes_and_unrelated_apis() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Strong
        {
            void Run(byte[] data, byte[] key)
            {
                using var a = SHA256.Create();
                using var b = new HMACSHA256(key);
                var c = SHA512.HashData(data);
                var d = HashAlgorithm.Create("SHA256");
                var e = CryptoConfig.CreateFromName("SHA384");
                using var f = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var name = HashAlgorithmName.SHA1;            // not passed to a hashing API here
                bool legacy = name == HashAlgorithmName.MD5;  // a comparison
                using var kdf = new Rfc2898DeriveBytes(data, data, 1000, HashAlgorithmName.SHA1); // HIPAA107's business
            }
        }
        """);

    [Fact]
    public Task Does_not_report_checksums_etags_cache_keys_and_fingerprints_by_default() => Verify.VerifyAsync("""
        using System;
        using System.Security.Cryptography;
        using System.Text;
        class Files
        {
            public string ComputeChecksum(byte[] content) => Convert.ToHexString(MD5.HashData(content));
            public string GetETag(byte[] body) => Convert.ToBase64String(SHA1.HashData(body));
            public string ContentAddress(byte[] blob) => Convert.ToHexString(SHA1.HashData(blob));
            public string Describe(byte[] body)
            {
                var etag = Convert.ToHexString(MD5.HashData(body));
                var cacheKey = Convert.ToHexString(SHA1.HashData(body));
                return etag + cacheKey;
            }
        }

        static class Ids
        {
            // RFC 9562 version 5: a name-based UUID is a SHA-1 of the namespace and the name.
            public static Guid CreateDeterministicGuid(byte[] nameSpaceAndName)
            {
                var hash = SHA1.HashData(nameSpaceAndName);
                return new Guid(hash.AsSpan(0, 16));
            }
        }

        class DocumentFingerprint
        {
            public byte[] Of(byte[] document)
            {
                using var md5 = MD5.Create();
                return md5.ComputeHash(document);
            }
        }
        """);

    [Fact]
    public Task Reports_a_weak_hash_name_reached_through_a_fallback_or_a_local() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Configured
        {
            object Run(string configured, bool legacy)
            {
                var a = {|HIPAA101:CryptoConfig.CreateFromName(configured ?? "MD5")|};
                var name = legacy ? "SHA1" : "SHA256";
                var b = {|HIPAA101:CryptoConfig.CreateFromName(name)|};
                var c = CryptoConfig.CreateFromName(configured ?? "SHA256");
                return a;
            }
        }
        """);

    [Fact]
    public Task Does_not_report_a_hash_that_only_becomes_a_name_based_guid() => Verify.VerifyAsync("""
        using System;
        using System.Security.Cryptography;
        using System.Text;
        static class Ids
        {
            public static Guid CodeSystem(string url)
            {
                var hash = MD5.HashData(Encoding.UTF8.GetBytes(url));
                hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
                hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
                return new Guid(hash.AsSpan(0, 16), bigEndian: true);
            }

            public static Guid Direct(byte[] name) => new Guid(MD5.HashData(name));

            public static Guid Instance(byte[] name)
            {
                using var md5 = MD5.Create();
                return new Guid(md5.ComputeHash(name));
            }

            public static Guid Version5(byte[] name)
            {
                using (var sha1 = SHA1.Create())
                {
                    var hash = sha1.ComputeHash(name);
                    var bytes = new byte[16];
                    Array.Copy(hash, bytes, 16);
                    bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
                    return new Guid(bytes);
                }
            }
        }
        """);

    [Fact]
    public Task Reports_a_guid_from_a_hash_of_a_secret_and_a_hash_used_beyond_the_guid() => Verify.VerifyAsync("""
        using System;
        using System.Security.Cryptography;
        using System.Text;
        static class Ids
        {
            public static Guid FromToken(string token) => new Guid({|HIPAA101:MD5.HashData(Encoding.UTF8.GetBytes(token))|});

            public static Guid AlsoStored(byte[] name, out string digest)
            {
                var hash = {|HIPAA101:MD5.HashData(name)|};
                digest = Convert.ToHexString(hash);
                return new Guid(hash);
            }

            public static byte[] Other(byte[] name)
            {
                using var md5 = {|HIPAA101:MD5.Create()|};
                var id = new Guid(md5.ComputeHash(name));
                return md5.ComputeHash(id.ToByteArray());
            }
        }
        """);

    [Fact]
    public Task Reports_a_password_hashed_inside_a_helper_named_as_a_checksum() => Verify.VerifyAsync("""
        using System;
        using System.Security.Cryptography;
        using System.Text;
        class Users
        {
            public string PasswordChecksum(string password) =>
                Convert.ToHexString({|HIPAA101:MD5.HashData(Encoding.UTF8.GetBytes(password))|});

            public string ComputeChecksum(string userName, string secret) =>
                Convert.ToHexString({|HIPAA101:SHA1.HashData(Encoding.UTF8.GetBytes(userName + secret))|});
        }
        """);

    [Fact]
    public Task Team_names_are_added_with_allowed_in() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class BlobDigests
        {
            public byte[] Digest(byte[] blob) => MD5.HashData(blob);
        }

        class Tokens
        {
            public byte[] Digest(byte[] blob) => {|HIPAA101:MD5.HashData(blob)|};
        }
        """, "hipaa_analyzers.HIPAA101.allowed_in = blob digests, photo hash\n");

    [Fact]
    public Task Defaults_can_be_turned_off() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class Files
        {
            public byte[] ComputeChecksum(byte[] content) => {|HIPAA101:MD5.HashData(content)|};
        }
        """, "hipaa_analyzers.HIPAA101.use_default_allowed_in = false\n");

    [Fact]
    public Task Message_names_the_api_and_algorithm() => Verify.VerifyAsync("""
        using System.Security.Cryptography;
        class C
        {
            byte[] H(byte[] d) => {|#0:SHA1.HashData(d)|};
        }
        """, Verify.Diagnostic("HIPAA101").WithLocation(0).WithArguments("SHA1.HashData", "SHA-1"));
}
