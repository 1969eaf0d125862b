using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace PeerComparison.Corpus;

// Category weak-hash: MD5, SHA-1, HMACMD5 and RIPEMD-160 where the hash protects something, next to
// the same algorithms used for ETags, cache keys, checksums and name-based identifiers.
public static class WeakHash
{
    // Vulnerable: an unsalted MD5 of a portal password, stored as the credential.
    public static byte[] HashPortalPassword(string password)
    {
        using var md5 = MD5.Create(); // expect: weak-hash @md5-password
        return md5.ComputeHash(Encoding.UTF8.GetBytes(password)); // expect: weak-hash @md5-password
    }

    // Vulnerable: a SHA-1 pseudonym of a medical record number, shared with a research partner.
    public static string PseudonymizeMrn(string medicalRecordNumber)
    {
        return Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(medicalRecordNumber))); // expect: weak-hash
    }

    // Vulnerable: HMAC-MD5 signature on an outbound lab-result webhook.
    public static string SignWebhook(byte[] secret, string payload)
    {
        using var hmac = new HMACMD5(secret); // expect: weak-hash @hmacmd5
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(payload))); // expect: weak-hash @hmacmd5
    }

    // Vulnerable: a discharge summary signed over a SHA-1 digest.
    public static byte[] SignDischargeSummary(RSA signingKey, byte[] document)
    {
        return signingKey.SignData(document, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1); // expect: weak-hash
    }

    // Vulnerable: tamper evidence for an audit record chained with MD5.
    public static byte[] ChainAuditRecord(byte[] previousHash, byte[] record)
    {
        var input = new byte[previousHash.Length + record.Length];
        previousHash.CopyTo(input, 0);
        record.CopyTo(input, previousHash.Length);
        return MD5.HashData(input); // expect: weak-hash
    }

    // Safe: an HTTP ETag for a static formulary document; it only detects change.
    public static string ComputeETag(byte[] responseBody)
    {
        return "\"" + Convert.ToHexString(MD5.HashData(responseBody)) + "\""; // safe: weak-hash
    }

    // Safe: the cache key of a reporting query; collisions only cost a cache miss.
    public static string ReportCacheKey(string queryText)
    {
        return "report:" + Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(queryText))); // safe: weak-hash
    }

    // Safe: the Content-MD5 checksum a blob store expects on an upload of an already encrypted file.
    public static string UploadChecksum(Stream encryptedFile)
    {
        using var md5 = MD5.Create(); // safe: weak-hash @content-md5
        return Convert.ToBase64String(md5.ComputeHash(encryptedFile)); // safe: weak-hash @content-md5
    }

    // Safe: a name-based (version 3) UUID for a public code-system URL, so every server derives the same id.
    public static Guid CodeSystemId(string canonicalUrl)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(canonicalUrl)); // safe: weak-hash
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
