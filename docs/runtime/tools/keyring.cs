// Key ring tool for the rotation runbook (docs/runtime/key-rotation.md).
//
//   dotnet run docs/runtime/tools/keyring.cs -- <key ring file> <command> [arguments]
//
// Commands:
//   init <encryption key id> [<blind index key id>] [<pseudonymization key id>]
//                                      create the file with one active key per purpose given
//   list                               ids, purposes, statuses, creation dates, ages, check values
//   stage <purpose> <key id>           add a new random key, decrypt-only (purpose: encryption,
//                                      blind-index or pseudonymization)
//   activate <key id>                  make a key active; the previous active key of its purpose is retired
//   remove <key id>                    remove a staged or retired key (only once nothing uses it)
//   rewrap <new master key variable>   re-wrap every key under the master key in that variable
//
// The master key comes from HIPAA_MASTER_KEY (override with HIPAA_MASTER_KEY_VARIABLE). The tool
// never prints key material. Inside a clone of the repository it builds the runtime from source;
// elsewhere replace the #:project line with: #:package HipaaAnalyzers.Runtime@<version>
#:project ../../../src/HipaaAnalyzers.Runtime/HipaaAnalyzers.Runtime.csproj

using System;
using System.Globalization;
using System.IO;
using HipaaAnalyzers.Runtime;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: keyring.cs <key ring file> <init|list|stage|activate|remove|rewrap> [arguments]");
    return 2;
}

string path = args[0];
string command = args[1];
string masterVariable = Environment.GetEnvironmentVariable("HIPAA_MASTER_KEY_VARIABLE") ?? LocalMasterKey.DefaultEnvironmentVariable;
DateTimeOffset now = TimeProvider.System.GetUtcNow();

try
{
    using LocalMasterKey master = LocalMasterKey.FromEnvironment(masterVariable);

    if (command == "init")
    {
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"'{path}' exists already; use stage/activate to change it.");
        }

        var entries = new System.Collections.Generic.List<KeyRingEntry>();
        KeyPurpose[] purposes = [KeyPurpose.Encryption, KeyPurpose.BlindIndex, KeyPurpose.Pseudonymization];
        for (int i = 2; i < args.Length && i - 2 < purposes.Length; i++)
        {
            entries.Add(new KeyRingEntry(DataKey.Generate(args[i], purposes[i - 2], now), DataKeyStatus.Active));
        }

        var created = new KeyRing(entries);
        KeyRingFile.Save(path, created, master);
        created.DisposeKeys();
        Console.WriteLine($"Created '{path}' protected by master key {master.MasterKeyId}.");
        return 0;
    }

    KeyRing ring = KeyRingFile.Load(path, master);
    try
    {
        switch (command)
        {
            case "list":
                foreach (KeyRingEntry entry in ring.Entries)
                {
                    DataKey key = entry.Key;
                    string age = key.CreatedAt is { } c ? ((int)(now - c).TotalDays).ToString(CultureInfo.InvariantCulture) + " days" : "unknown";
                    Console.WriteLine($"{key.KeyId,-24} {Purpose(key.Purpose),-17} {entry.Status,-8} created {key.CreatedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "unknown",-10} age {age,-10} check {key.KeyCheckValue}");
                }

                Console.WriteLine($"master key {master.MasterKeyId}");
                return 0;

            case "stage" when args.Length == 4:
                KeyPurpose purpose = args[2] switch
                {
                    "encryption" => KeyPurpose.Encryption,
                    "blind-index" => KeyPurpose.BlindIndex,
                    "pseudonymization" => KeyPurpose.Pseudonymization,
                    _ => throw new ArgumentException("purpose must be encryption, blind-index or pseudonymization"),
                };
                using (DataKey staged = DataKey.Generate(args[3], purpose, now))
                {
                    KeyRingFile.Save(path, ring.WithKey(staged, DataKeyStatus.Staged), master);
                    Console.WriteLine($"Staged {staged}. Deploy the file everywhere, then activate it.");
                }

                return 0;

            case "activate" when args.Length == 3:
                KeyRingFile.Save(path, ring.WithActiveKey(args[2]), master);
                Console.WriteLine($"Activated '{args[2]}'; the previous active key of its purpose is retired.");
                return 0;

            case "remove" when args.Length == 3:
                KeyRingFile.Save(path, ring.WithoutKey(args[2]), master);
                Console.WriteLine($"Removed '{args[2]}'. Values still encrypted with it can no longer be decrypted.");
                return 0;

            case "rewrap" when args.Length == 3:
                using (LocalMasterKey next = LocalMasterKey.FromEnvironment(args[2]))
                {
                    KeyRingFile.Save(path, ring, next);
                    Console.WriteLine($"Re-wrapped {ring.Entries.Count} key(s) from master key {master.MasterKeyId} to {next.MasterKeyId}.");
                }

                return 0;

            default:
                Console.Error.WriteLine($"unknown command or wrong arguments: {command}");
                return 2;
        }
    }
    finally
    {
        ring.DisposeKeys();
    }
}
catch (Exception exception) when (exception is FieldEncryptionException or PhiConfigurationException or ArgumentException or InvalidOperationException or System.Collections.Generic.KeyNotFoundException)
{
    // Runtime messages never contain key material.
    Console.Error.WriteLine($"{exception.GetType().Name}: {exception.Message}");
    return 1;
}

static string Purpose(KeyPurpose purpose) => purpose switch
{
    KeyPurpose.Encryption => "encryption",
    KeyPurpose.BlindIndex => "blind-index",
    _ => "pseudonymization",
};
