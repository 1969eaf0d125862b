using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace PeerComparison.Corpus;

// Category weak-random: System.Random feeding a token, one-time code, salt, password or IV, next to Random for
// shuffles, jitter, sampling, load balancing and seeded test data.
public sealed class Randomness
{
    private static readonly Random Rng = new Random(); // expect: weak-random @salt

    // Vulnerable: a password-reset token from System.Random.
    public static string CreatePasswordResetToken()
    {
        var bytes = new byte[32];
        new Random().NextBytes(bytes); // expect: weak-random
        return Convert.ToBase64String(bytes);
    }

    // Vulnerable: a six-digit sign-in code sent by text message.
    public static string CreateOneTimeCode()
    {
        return Random.Shared.Next(100000, 1000000).ToString(); // expect: weak-random
    }

    // Vulnerable: the salt of a password hash.
    public static byte[] HashWithSalt(string password, out byte[] salt)
    {
        salt = new byte[16];
        Rng.NextBytes(salt); // expect: weak-random @salt
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
    }

    // Vulnerable: a temporary password for a new clinician account.
    public static string CreateTemporaryPassword(int length)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var random = new Random(); // expect: weak-random @temp-password
        var password = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            password.Append(alphabet[random.Next(alphabet.Length)]); // expect: weak-random @temp-password
        }

        return password.ToString();
    }

    // Vulnerable: the IV of a record encryption.
    public static byte[] EncryptRecord(byte[] key, byte[] record)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var iv = new byte[16];
        Random.Shared.NextBytes(iv); // expect: weak-random
        return aes.EncryptCbc(record, iv);
    }

    // Safe: shuffles open appointment slots so patients are not all offered the earliest one.
    public static void ShuffleSlots(DateTime[] openSlots)
    {
        Random.Shared.Shuffle(openSlots); // safe: weak-random
    }

    // Safe: jitter between retries of a pharmacy call.
    public static TimeSpan RetryDelay(int attempt)
    {
        var jitter = Random.Shared.Next(0, 250); // safe: weak-random
        return TimeSpan.FromMilliseconds(Math.Pow(2, attempt) * 100 + jitter);
    }

    // Safe: samples one in a hundred requests for performance tracing.
    public static bool ShouldTrace()
    {
        return Random.Shared.NextDouble() < 0.01; // safe: weak-random
    }

    // Safe: picks one of several equivalent read replicas.
    public static string PickReplica(IReadOnlyList<string> replicas)
    {
        return replicas[Random.Shared.Next(replicas.Count)]; // safe: weak-random
    }

    // Safe: seeded, repeatable demo data for the training environment.
    public static List<string> DemoPatientNames(int count)
    {
        var random = new Random(42); // safe: weak-random @demo-data
        string[] given = { "Ana", "Ben", "Chloe", "Dev", "Eli" };
        string[] family = { "Ortiz", "Ng", "Smith", "Okafor", "Berg" };
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            names.Add(given[random.Next(given.Length)] + " " + family[random.Next(family.Length)]); // safe: weak-random @demo-data
        }

        return names;
    }
}
