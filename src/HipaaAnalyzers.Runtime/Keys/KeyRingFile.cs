using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// Reads and writes key ring files: JSON documents that hold each data key wrapped by a master key
/// (<see cref="IMasterKey"/>), never in the clear. The format is documented in
/// <c>docs/runtime/key-management.md</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each wrapped key is bound, as associated data, to its entry's key id, purpose and creation date, so
/// moving a wrapped key to another entry or editing those fields makes it fail to unwrap. The status of
/// a key is deliberately not bound: it changes during rotation. Keep the file out of the database and
/// the backups that hold the PHI, and readable by the application's account only (<see cref="Save"/>
/// creates it with mode 0600 on Unix).
/// </para>
/// <para>
/// The keys of a loaded ring belong to the caller: dispose them with <see cref="KeyRing.DisposeKeys"/>
/// when done, or use <see cref="FileKeyRingProvider"/>, which owns them.
/// </para>
/// </remarks>
public static class KeyRingFile
{
    /// <summary>The value of the <c>format</c> property of a key ring file of this version.</summary>
    public const string FormatId = "hipaa-analyzers-key-ring/1";

    private const string SourceForBytes = "the key ring";

    /// <summary>Loads and unwraps a key ring file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="masterKey">The master key the file was written with.</param>
    /// <returns>The key ring; the caller owns its keys.</returns>
    /// <exception cref="PhiConfigurationException">The file does not exist.</exception>
    /// <exception cref="KeyRingFormatException">The file is malformed.</exception>
    /// <exception cref="KeyUnwrapException">The file was written with another master key, or a wrapped key was modified.</exception>
    public static KeyRing Load(string path, IMasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(masterKey);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PhiConfigurationException(CryptoHelpers.FormatInvariant($"The key ring file '{path}' does not exist. Create it with a key ring tool (see docs/runtime/key-rotation.md) or fix the configured path."));
        }

        return Parse(json, masterKey, "'" + path + "'");
    }

    /// <summary>Parses and unwraps a key ring from its UTF-8 JSON text, for key rings kept outside files (for example in a secret store).</summary>
    /// <param name="utf8Json">The JSON text.</param>
    /// <param name="masterKey">The master key the ring was written with.</param>
    /// <returns>The key ring; the caller owns its keys.</returns>
    /// <exception cref="KeyRingFormatException">The text is malformed.</exception>
    /// <exception cref="KeyUnwrapException">The ring was written with another master key, or a wrapped key was modified.</exception>
    public static KeyRing Parse(ReadOnlySpan<byte> utf8Json, IMasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        return Parse(utf8Json.ToArray(), masterKey, SourceForBytes);
    }

    /// <summary>
    /// Writes a key ring file, wrapping every key with <paramref name="masterKey"/>. The file is written to
    /// a temporary file first and then moved over <paramref name="path"/>, so readers never see half a file.
    /// </summary>
    /// <param name="path">The file path.</param>
    /// <param name="keyRing">The key ring.</param>
    /// <param name="masterKey">The master key; pass a new one to re-wrap the ring when rotating the master key.</param>
    public static void Save(string path, KeyRing keyRing, IMasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] json = Serialize(keyRing, masterKey);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        string temporary = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + CryptoHelpers.ToLowerHex(RandomNumberGenerator.GetBytes(6)) + ".tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Serializes a key ring to UTF-8 JSON, wrapping every key with <paramref name="masterKey"/>.</summary>
    /// <param name="keyRing">The key ring.</param>
    /// <param name="masterKey">The master key.</param>
    /// <returns>The JSON text; it contains no key in the clear.</returns>
    public static byte[] Serialize(KeyRing keyRing, IMasterKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        ArgumentNullException.ThrowIfNull(masterKey);
        string masterKeyId = masterKey.MasterKeyId;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatId);
            writer.WriteString("masterKeyId", masterKeyId);
            writer.WriteStartArray("keys");
            foreach (KeyRingEntry entry in keyRing.Entries)
            {
                DataKey key = entry.Key;
                byte[] wrapped = masterKey.WrapKey(key.GetMaterial(), WrapContext(key.KeyId, key.Purpose, key.CreatedAt));
                writer.WriteStartObject();
                writer.WriteString("id", key.KeyId);
                writer.WriteString("purpose", KeyPurposeNames.ToText(key.Purpose));
                writer.WriteString("status", KeyPurposeNames.ToText(entry.Status));
                if (key.CreatedAt is { } createdAt)
                {
                    writer.WriteString("createdAt", createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                }

                writer.WriteString("keyCheck", key.KeyCheckValue);
                writer.WriteBase64String("wrappedKey", wrapped);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>
    /// The associated data of a wrapped key: a label, the length-prefixed key id, the purpose, and the
    /// creation time in Unix seconds (or a zero flag when unknown).
    /// </summary>
    internal static byte[] WrapContext(string keyId, KeyPurpose purpose, DateTimeOffset? createdAt)
    {
        ReadOnlySpan<byte> label = CryptoHelpers.KeyWrapContextLabel;
        var context = new byte[label.Length + 4 + keyId.Length + 1 + 1 + 8];
        int offset = 0;
        label.CopyTo(context);
        offset += label.Length;
        BinaryPrimitives.WriteUInt32BigEndian(context.AsSpan(offset), (uint)keyId.Length);
        offset += 4;
        offset += Encoding.ASCII.GetBytes(keyId, context.AsSpan(offset));
        context[offset++] = (byte)purpose;
        if (createdAt is { } created)
        {
            context[offset++] = 1;
            BinaryPrimitives.WriteInt64BigEndian(context.AsSpan(offset), created.ToUnixTimeSeconds());
        }
        else
        {
            context[offset++] = 0;
        }

        return context;
    }

    private static KeyRing Parse(byte[] json, IMasterKey masterKey, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            // The parser's own message can quote the text near the error, which may be key material: report the position only.
            throw new KeyRingFormatException(CryptoHelpers.FormatInvariant(
                $"The key ring {source} is not valid JSON (error at line {(exception.LineNumber ?? 0) + 1}, byte {(exception.BytePositionInLine ?? 0) + 1})."));
        }

        var keys = new List<DataKey>();
        try
        {
            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw Format(source, "the document is not a JSON object");
                }

                Dictionary<string, JsonElement> properties = ReadProperties(root, source, "the document", "format", "masterKeyId", "keys");
                string format = RequireString(properties, "format", source, "the document");
                if (!string.Equals(format, FormatId, StringComparison.Ordinal))
                {
                    throw Format(source, CryptoHelpers.FormatInvariant($"its format is not '{FormatId}'. It is not a key ring file, or was written by a newer release"));
                }

                string masterKeyId = RequireString(properties, "masterKeyId", source, "the document");
                if (!string.Equals(masterKeyId, masterKey.MasterKeyId, StringComparison.Ordinal))
                {
                    throw new KeyUnwrapException(CryptoHelpers.FormatInvariant(
                        $"The key ring {source} is protected by master key '{masterKeyId}', but the configured master key is '{masterKey.MasterKeyId}'. Configure the master key the ring was written with."));
                }

                if (!properties.TryGetValue("keys", out JsonElement keysElement) || keysElement.ValueKind != JsonValueKind.Array)
                {
                    throw Format(source, "the document has no 'keys' array");
                }

                var entries = new List<KeyRingEntry>();
                int index = 0;
                foreach (JsonElement element in keysElement.EnumerateArray())
                {
                    string where = CryptoHelpers.FormatInvariant($"keys[{index}]");
                    entries.Add(ReadEntry(element, masterKey, source, where, keys));
                    index++;
                }

                // The ring's checks name key ids only.
                return new KeyRing(entries, problem => Format(source, problem.TrimEnd('.')));
            }
        }
        catch
        {
            foreach (DataKey key in keys)
            {
                key.Dispose();
            }

            throw;
        }
    }

    private static KeyRingEntry ReadEntry(JsonElement element, IMasterKey masterKey, string source, string where, List<DataKey> created)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Format(source, where + " is not a JSON object");
        }

        Dictionary<string, JsonElement> properties = ReadProperties(element, source, where, "id", "purpose", "status", "createdAt", "keyCheck", "wrappedKey");

        string id = RequireString(properties, "id", source, where);
        if (!DataKey.IsValidKeyId(id))
        {
            throw Format(source, CryptoHelpers.FormatInvariant($"{where}.id is not a valid key id (1 to {DataKey.MaximumKeyIdLength} characters from A-Z a-z 0-9 . _ -)"));
        }

        if (!KeyPurposeNames.TryParse(RequireString(properties, "purpose", source, where), out KeyPurpose purpose))
        {
            throw Format(source, where + ".purpose is not one of 'encryption', 'blind-index', 'pseudonymization', 'application'");
        }

        if (!KeyPurposeNames.TryParse(RequireString(properties, "status", source, where), out DataKeyStatus status))
        {
            throw Format(source, where + ".status is not one of 'active', 'staged', 'retired'");
        }

        DateTimeOffset? createdAt = null;
        if (properties.TryGetValue("createdAt", out JsonElement createdElement) && createdElement.ValueKind != JsonValueKind.Null)
        {
            if (createdElement.ValueKind != JsonValueKind.String ||
                !DateTimeOffset.TryParse(createdElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
            {
                throw Format(source, where + ".createdAt is not an ISO 8601 date and time");
            }

            createdAt = parsed;
        }

        string keyCheck = RequireString(properties, "keyCheck", source, where);

        if (!properties.TryGetValue("wrappedKey", out JsonElement wrappedElement) || wrappedElement.ValueKind != JsonValueKind.String)
        {
            throw Format(source, where + ".wrappedKey is missing or not a string");
        }

        if (!wrappedElement.TryGetBytesFromBase64(out byte[]? wrapped))
        {
            throw Format(source, where + ".wrappedKey is not valid base64");
        }

        Span<byte> material = stackalloc byte[DataKey.MaximumKeySizeInBytes];
        DataKey key;
        try
        {
            int length;
            try
            {
                length = masterKey.UnwrapKey(wrapped, WrapContext(id, purpose, createdAt), material);
            }
            catch (KeyUnwrapException exception)
            {
                throw new KeyUnwrapException(CryptoHelpers.FormatInvariant($"The key '{id}' ({where}) of the key ring {source} could not be unwrapped. {exception.Message}"));
            }

            if (length is < DataKey.MinimumKeySizeInBytes or > DataKey.MaximumKeySizeInBytes)
            {
                throw Format(source, CryptoHelpers.FormatInvariant($"{where}.wrappedKey holds a key of {length} bytes; data keys are {DataKey.MinimumKeySizeInBytes} to {DataKey.MaximumKeySizeInBytes} bytes"));
            }

            key = DataKey.FromBytes(id, purpose, material.Slice(0, length), createdAt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }

        created.Add(key);
        if (!string.Equals(key.KeyCheckValue, keyCheck, StringComparison.OrdinalIgnoreCase))
        {
            throw Format(source, CryptoHelpers.FormatInvariant($"{where}.keyCheck does not match the key '{id}': the file was edited by hand"));
        }

        return new KeyRingEntry(key, status);
    }

    private static Dictionary<string, JsonElement> ReadProperties(JsonElement element, string source, string where, params string[] allowed)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                // Property names of the format are short ASCII words; an unknown one is reported by position only.
                throw Format(source, CryptoHelpers.FormatInvariant($"{where} has an unknown property; the allowed properties are {string.Join(", ", allowed)}"));
            }

            if (!properties.TryAdd(property.Name, property.Value))
            {
                throw Format(source, CryptoHelpers.FormatInvariant($"{where} has the property '{property.Name}' more than once"));
            }
        }

        return properties;
    }

    private static string RequireString(Dictionary<string, JsonElement> properties, string name, string source, string where)
    {
        if (!properties.TryGetValue(name, out JsonElement value) || value.ValueKind != JsonValueKind.String)
        {
            throw Format(source, CryptoHelpers.FormatInvariant($"{where}.{name} is missing or not a string"));
        }

        return value.GetString()!;
    }

    private static KeyRingFormatException Format(string source, string problem) =>
        new(CryptoHelpers.FormatInvariant($"The key ring {source} is malformed: {problem}."));
}
