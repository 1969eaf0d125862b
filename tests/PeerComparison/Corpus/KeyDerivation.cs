using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace PeerComparison.Corpus;

// Category weak-kdf: PBKDF2 with SHA-1 or too few iterations, PasswordDeriveBytes, a fast hash as password storage and
// ASP.NET Core Identity's hasher turned down, next to sound PBKDF2 settings, HKDF on a high-entropy key and a count
// that comes from configuration.
public static class KeyDerivation
{
    // Vulnerable: the Rfc2898DeriveBytes defaults (SHA-1, 1,000 iterations).
    public static byte[] DeriveExportKey(string passphrase, byte[] salt)
    {
        using var kdf = new Rfc2898DeriveBytes(passphrase, salt); // expect: weak-kdf @export-key
        return kdf.GetBytes(32); // expect: weak-kdf @export-key
    }

    // Vulnerable: SHA-256 but only 10,000 iterations.
    public static byte[] DeriveBackupKey(string passphrase, byte[] salt)
    {
        using var kdf = new Rfc2898DeriveBytes(passphrase, salt, 10_000, HashAlgorithmName.SHA256); // expect: weak-kdf @backup-key
        return kdf.GetBytes(32); // expect: weak-kdf @backup-key
    }

    // Vulnerable: PasswordDeriveBytes (PBKDF1).
    public static byte[] DeriveLegacyKey(string passphrase, byte[] salt)
    {
        using var kdf = new PasswordDeriveBytes(passphrase, salt); // expect: weak-kdf @legacy-key
        return kdf.GetBytes(32); // expect: weak-kdf @legacy-key
    }

    // Vulnerable: PBKDF2 with SHA-1.
    public static byte[] HashPin(string pin, byte[] salt)
    {
        return Rfc2898DeriveBytes.Pbkdf2(pin, salt, 100_000, HashAlgorithmName.SHA1, 32); // expect: weak-kdf
    }

    // Vulnerable: one round of SHA-256 as password storage.
    public static byte[] HashPortalPassword(string password, byte[] salt)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        var input = new byte[salt.Length + bytes.Length];
        salt.CopyTo(input, 0);
        bytes.CopyTo(input, salt.Length);
        return SHA256.HashData(input); // expect: weak-kdf
    }

    // Vulnerable: ASP.NET Core Identity's password hasher turned down to 10,000 iterations.
    public static void ConfigureIdentity(IServiceCollection services)
    {
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 10_000); // expect: weak-kdf
    }

    // Safe: PBKDF2-SHA256 with 600,000 iterations.
    public static byte[] HashPassword(string password, byte[] salt)
    {
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32); // safe: weak-kdf
    }

    // Safe: PBKDF2-SHA512 with 210,000 iterations (the OWASP figure for SHA-512).
    public static byte[] HashPasswordSha512(string password, byte[] salt)
    {
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, 210_000, HashAlgorithmName.SHA512, 64); // safe: weak-kdf
    }

    // Safe: HKDF derives a per-column key from a random master key; no stretching is needed.
    public static byte[] DeriveColumnKey(byte[] masterKey, string column)
    {
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Encoding.UTF8.GetBytes("column:" + column)); // safe: weak-kdf
    }

    // Safe: the iteration count is operations' setting, read at start-up.
    public static byte[] HashPasswordWithSetting(string password, byte[] salt, PasswordHashingSettings settings)
    {
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, settings.Iterations, HashAlgorithmName.SHA256, 32); // safe: weak-kdf
    }

    // Safe: ASP.NET Core Identity's hasher raised above its default.
    public static void ConfigureStrongIdentity(IServiceCollection services)
    {
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 600_000); // safe: weak-kdf
    }
}

public sealed class PasswordHashingSettings
{
    public int Iterations { get; set; } = 600_000;
}
