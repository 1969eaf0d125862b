// Key ring tool for the rotation runbook (docs/runtime/key-rotation.md) and for application keys
// (docs/runtime/key-management.md#application-keys).
//
//   dotnet run docs/runtime/tools/keyring.cs -- <key ring file> <command> [arguments]
//
// Commands:
//   init [<encryption key id> [<blind index key id> [<pseudonymization key id>]]]
//                                      create the file, and any missing folder, with one active key per
//                                      purpose given; with no key id, a ring for application keys only
//   list                               ids, purposes, statuses, creation dates, ages, check values
//   stage <purpose> <key id>           add a new random key, decrypt-only (purpose: encryption,
//                                      blind-index or pseudonymization)
//   activate <key id>                  make a key active; the previous active key of its purpose is retired
//   add-application <name> [--bytes <32 to 64>] [--from-env <variable>] [--replace]
//                                      add an application key, active at once, that the application reads
//                                      with HipaaKeys.Get("<name>"): random bytes (32 unless --bytes says
//                                      otherwise), or the base64 key held in the environment variable (to
//                                      move an existing key into the ring). --replace replaces the bytes of
//                                      the application key of that name.
//   remove <key id>                    remove a staged or retired key, or an application key (only once
//                                      nothing uses it)
//   rewrap <new master key variable>   re-wrap every key under the master key in that variable
//
// The master key comes from HIPAA_MASTER_KEY (override with HIPAA_MASTER_KEY_VARIABLE). The tool
// never prints key material. Exit codes: 0 done, 1 error, 2 wrong arguments; every error is one line
// on standard error. Inside a clone of the repository it builds the runtime from source; elsewhere
// replace the #:project line with: #:package HipaaAnalyzers.Runtime@<version>
#:project ../../../src/HipaaAnalyzers.Runtime/HipaaAnalyzers.Runtime.csproj

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using HipaaAnalyzers.Runtime;

const string Usage = "usage: keyring.cs <key ring file> <init|list|stage|activate|add-application|remove|rewrap> [arguments] (see the comment at the top of keyring.cs)";

if (args.Length < 2)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

string path = args[0];
string command = args[1];
string masterVariable = Environment.GetEnvironmentVariable("HIPAA_MASTER_KEY_VARIABLE") ?? LocalMasterKey.DefaultEnvironmentVariable;
DateTimeOffset now = TimeProvider.System.GetUtcNow();

try
{
    switch (command)
    {
        case "init" when args.Length <= 5:
        case "list" when args.Length == 2:
        case "stage" when args.Length == 4:
        case "activate" or "remove" or "rewrap" when args.Length == 3:
        case "add-application" when args.Length >= 3:
            break;
        default:
            Console.Error.WriteLine($"unknown command or wrong arguments: {string.Join(' ', args.Skip(1))}. {Usage}");
            return 2;
    }

    ApplicationKeyRequest? application = null;
    if (command == "add-application")
    {
        application = ApplicationKeyRequest.Parse(args.AsSpan(2));
        if (application is null)
        {
            Console.Error.WriteLine("usage: keyring.cs <key ring file> add-application <name> [--bytes <32 to 64>] [--from-env <variable>] [--replace]");
            return 2;
        }
    }

    using LocalMasterKey master = LocalMasterKey.FromEnvironment(masterVariable);

    if (command == "init")
    {
        if (Directory.Exists(path))
        {
            throw new InvalidOperationException($"'{path}' is a folder; give the path of the key ring file to create.");
        }

        if (File.Exists(path))
        {
            throw new InvalidOperationException($"'{path}' exists already; use stage/activate or add-application to change it.");
        }

        var entries = new List<KeyRingEntry>();
        KeyPurpose[] purposes = [KeyPurpose.Encryption, KeyPurpose.BlindIndex, KeyPurpose.Pseudonymization];
        for (int i = 2; i < args.Length; i++)
        {
            entries.Add(new KeyRingEntry(DataKey.Generate(args[i], purposes[i - 2], now), DataKeyStatus.Active));
        }

        var created = new KeyRing(entries);
        try
        {
            CreateFolderOf(path);
            KeyRingFile.Save(path, created, master);
        }
        finally
        {
            created.DisposeKeys();
        }

        Console.WriteLine($"Created '{path}' with {entries.Count} key(s), protected by master key {master.MasterKeyId}.");
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
                    Console.WriteLine($"{key.KeyId,-24} {PurposeText(key.Purpose),-17} {StatusText(entry.Status),-8} created {key.CreatedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "unknown",-10} age {age,-10} check {key.KeyCheckValue}");
                }

                Console.WriteLine($"master key {master.MasterKeyId}");
                return 0;

            case "stage":
                KeyPurpose purpose = args[2] switch
                {
                    "encryption" => KeyPurpose.Encryption,
                    "blind-index" => KeyPurpose.BlindIndex,
                    "pseudonymization" => KeyPurpose.Pseudonymization,
                    "application" => throw new ArgumentException($"application keys are not staged; each is its own key and in use at once: keyring.cs {path} add-application {args[3]}"),
                    _ => throw new ArgumentException("purpose must be encryption, blind-index or pseudonymization (application keys: add-application <name>)"),
                };
                using (DataKey staged = DataKey.Generate(args[3], purpose, now))
                {
                    KeyRingFile.Save(path, ring.WithKey(staged, DataKeyStatus.Staged), master);
                    Console.WriteLine($"Staged {staged}. Deploy the file everywhere, then activate it.");
                }

                return 0;

            case "activate":
                KeyRingFile.Save(path, ring.WithActiveKey(args[2]), master);
                Console.WriteLine($"Activated '{args[2]}'; the previous active key of its purpose is retired.");
                return 0;

            case "add-application":
                return AddApplicationKey(path, ring, master, application!, now);

            case "remove":
                KeyRingFile.Save(path, ring.WithoutKey(args[2]), master);
                Console.WriteLine($"Removed '{args[2]}'. What was encrypted or signed with it can no longer be decrypted or checked.");
                return 0;

            default:
                using (LocalMasterKey next = LocalMasterKey.FromEnvironment(args[2]))
                {
                    KeyRingFile.Save(path, ring, next);
                    Console.WriteLine($"Re-wrapped {ring.Entries.Count} key(s) from master key {master.MasterKeyId} to {next.MasterKeyId}.");
                }

                return 0;
        }
    }
    finally
    {
        ring.DisposeKeys();
    }
}
catch (Exception exception)
{
    // One line, never a stack trace. Runtime messages name files, variables and key ids, never key material.
    string message = exception is FieldEncryptionException or PhiConfigurationException or ArgumentException or InvalidOperationException
        or KeyNotFoundException or IOException or UnauthorizedAccessException
        ? exception.Message
        : exception.GetType().Name + ": " + exception.Message;
    if (exception is ArgumentException { ParamName: { } parameter })
    {
        message = message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal);
    }

    Console.Error.WriteLine("error: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    return 1;
}

static int AddApplicationKey(string path, KeyRing ring, IMasterKey master, ApplicationKeyRequest request, DateTimeOffset now)
{
    string name = request.Name;
    bool exists = ring.TryGetKey(name, out DataKey? existing);
    if (exists && existing!.Purpose != KeyPurpose.Application)
    {
        throw new InvalidOperationException($"'{name}' is the id of a key with the purpose {PurposeText(existing.Purpose)}; give the application key a name of its own.");
    }

    if (exists && !request.Replace)
    {
        throw new InvalidOperationException($"the key ring holds an application key named '{name}' already (check {existing!.KeyCheckValue}); add --replace to replace its bytes, after which values made with the old bytes no longer check out.");
    }

    if (!exists && request.Replace)
    {
        throw new InvalidOperationException($"the key ring holds no application key named '{name}' to replace; leave out --replace to add it.");
    }

    using DataKey key = NewApplicationKey(request, now);
    KeyRing updated = exists
        ? new KeyRing(ring.Entries.Select(e => ReferenceEquals(e.Key, existing) ? new KeyRingEntry(key, DataKeyStatus.Active) : e))
        : ring.WithKey(key, DataKeyStatus.Active);
    KeyRingFile.Save(path, updated, master);
    string source = request.FromVariable is null ? "random" : "from " + request.FromVariable;
    Console.WriteLine($"{(exists ? "Replaced" : "Added")} application key '{name}' ({source}, check value {key.KeyCheckValue}). Deploy the file; the application reads the key with HipaaKeys.Get(\"{name}\").");
    return 0;
}

static DataKey NewApplicationKey(ApplicationKeyRequest request, DateTimeOffset now)
{
    if (request.FromVariable is not { } variable)
    {
        byte[] random = RandomNumberGenerator.GetBytes(request.Bytes ?? DataKey.GeneratedKeySizeInBytes);
        try
        {
            return DataKey.FromBytes(request.Name, KeyPurpose.Application, random, now);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }
    }

    string value = Environment.GetEnvironmentVariable(variable) ?? string.Empty;
    if (value.Trim().Length == 0)
    {
        throw new InvalidOperationException($"the environment variable {variable} is not set; set it to the key's bytes in base64 (for example: export {variable}=\"$(openssl rand -base64 32)\").");
    }

    byte[] decoded = new byte[value.Length];
    try
    {
        if (!Convert.TryFromBase64String(value.Trim(), decoded, out int length))
        {
            throw new InvalidOperationException($"the environment variable {variable} is not valid base64.");
        }

        if (length is < DataKey.MinimumKeySizeInBytes or > DataKey.MaximumKeySizeInBytes)
        {
            throw new InvalidOperationException($"the environment variable {variable} holds {length} bytes; an application key is {DataKey.MinimumKeySizeInBytes} to {DataKey.MaximumKeySizeInBytes} bytes.");
        }

        return DataKey.FromBytes(request.Name, KeyPurpose.Application, decoded.AsSpan(0, length), now);
    }
    finally
    {
        CryptographicOperations.ZeroMemory(decoded);
    }
}

static void CreateFolderOf(string path)
{
    string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
    if (folder is null || Directory.Exists(folder))
    {
        return;
    }

    if (OperatingSystem.IsWindows())
    {
        Directory.CreateDirectory(folder);
    }
    else
    {
        // Readable by the owner only, like the file.
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

static string PurposeText(KeyPurpose purpose) => purpose switch
{
    KeyPurpose.Encryption => "encryption",
    KeyPurpose.BlindIndex => "blind-index",
    KeyPurpose.Pseudonymization => "pseudonymization",
    KeyPurpose.Application => "application",
    _ => purpose.ToString(),
};

static string StatusText(DataKeyStatus status) => status switch
{
    DataKeyStatus.Active => "active",
    DataKeyStatus.Staged => "staged",
    DataKeyStatus.Retired => "retired",
    _ => status.ToString(),
};

/// <summary>The arguments of add-application.</summary>
internal sealed record ApplicationKeyRequest(string Name, int? Bytes, string? FromVariable, bool Replace)
{
    /// <summary>Null when the arguments are wrong.</summary>
    public static ApplicationKeyRequest? Parse(ReadOnlySpan<string> arguments)
    {
        string name = arguments[0];
        if (name.StartsWith("--", StringComparison.Ordinal))
        {
            return null;
        }

        int? bytes = null;
        string? variable = null;
        bool replace = false;
        for (int i = 1; i < arguments.Length; i++)
        {
            switch (arguments[i])
            {
                case "--bytes" when bytes is null && i + 1 < arguments.Length
                    && int.TryParse(arguments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
                    && count is >= DataKey.MinimumKeySizeInBytes and <= DataKey.MaximumKeySizeInBytes:
                    bytes = count;
                    i++;
                    break;
                case "--from-env" when variable is null && i + 1 < arguments.Length && arguments[i + 1].Length > 0:
                    variable = arguments[++i];
                    break;
                case "--replace" when !replace:
                    replace = true;
                    break;
                default:
                    return null;
            }
        }

        return bytes is not null && variable is not null ? null : new ApplicationKeyRequest(name, bytes, variable, replace);
    }
}
