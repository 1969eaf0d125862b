using System.Security.Cryptography;

namespace PeerComparison.Corpus;

// Category key-size: RSA below 2048 bits, DSA and elliptic curves below 256 bits, next to sizes that are fine,
// keys whose size comes from an imported key, and a named constant.
public static class KeySizes
{
    // Vulnerable: a 1024-bit RSA key for signing referrals.
    public static RSA CreateReferralSigningKey()
    {
        return RSA.Create(1024); // expect: key-size
    }

    // Vulnerable: the key size lowered after creation.
    public static RSA CreateFaxGatewayKey()
    {
        var rsa = RSA.Create(); // expect: key-size @lowered
        rsa.KeySize = 1024; // expect: key-size @lowered
        return rsa;
    }

    // Vulnerable: a 512-bit legacy CSP key.
    public static byte[] EncryptForLegacyPortal(byte[] data)
    {
        using var rsa = new RSACryptoServiceProvider(512); // expect: key-size @csp512
        return rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA1); // expect: key-size @csp512
    }

    // Vulnerable: DSA signatures on consent forms.
    public static byte[] SignConsentForm(byte[] form)
    {
        using var dsa = DSA.Create(1024); // expect: key-size @dsa
        return dsa.SignData(form, HashAlgorithmName.SHA256); // expect: key-size @dsa
    }

    // Vulnerable: a 192-bit curve for a bedside device.
    public static ECDsa CreateDeviceKey()
    {
        return ECDsa.Create(ECCurve.CreateFromFriendlyName("secp192r1")); // expect: key-size
    }

    // Safe: 3072-bit RSA.
    public static RSA CreateSigningKey()
    {
        return RSA.Create(3072); // safe: key-size
    }

    // Safe: the size is that of the key imported from the key store.
    public static RSA LoadPartnerKey(string pem)
    {
        var rsa = RSA.Create(); // safe: key-size @imported
        rsa.ImportFromPem(pem); // safe: key-size @imported
        return rsa;
    }

    // Safe: P-256.
    public static ECDsa CreateTokenSigningKey()
    {
        return ECDsa.Create(ECCurve.NamedCurves.nistP256); // safe: key-size
    }

    private const int ArchiveKeyBits = 4096;

    // Safe: a named constant of 4096 bits.
    public static RSA CreateArchiveKey()
    {
        return RSA.Create(ArchiveKeyBits); // safe: key-size
    }
}
