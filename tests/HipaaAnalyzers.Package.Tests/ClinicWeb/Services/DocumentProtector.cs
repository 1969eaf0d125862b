using System.Security.Cryptography;
using System.Text;

namespace ClinicWeb.Services;

/// <summary>Encrypts exported patient documents and seals them against tampering before they leave the clinic.</summary>
public class DocumentProtector
{
    private static readonly byte[] AesKey = Encoding.UTF8.GetBytes("ClinicExport#2026!Key0123456789a");
    private static readonly byte[] MacKey = Convert.FromBase64String("q1oS8cuoDT6lkQzE5xBIHIDJAU5AEJhDp8PwCXIWtNQ=");

    public byte[] Protect(byte[] document)
    {
        using var aes = Aes.Create();
        aes.Key = AesKey;
        aes.GenerateIV();
        using var encryptor = aes.CreateEncryptor();
        byte[] sealedDocument = [.. aes.IV, .. encryptor.TransformFinalBlock(document, 0, document.Length)];
        using var hmacMd5 = new HMACMD5(MacKey);
        return [.. sealedDocument, .. hmacMd5.ComputeHash(sealedDocument)];
    }
}
