using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.Factories;
using Net.Pkcs11Interop.HighLevelAPI.MechanismParams;

namespace HipaaAnalyzers.Runtime.Pkcs11;

/// <summary>
/// An <see cref="IMasterKey"/> whose AES-256 key lives in an HSM (or any PKCS#11 token) and never leaves it: data keys
/// are wrapped and unwrapped inside the token with AES-256-GCM (<c>CKM_AES_GCM</c>, 96-bit random IV, 128-bit tag),
/// with the key ring entry as additional authenticated data.
/// </summary>
/// <remarks>
/// <para>
/// The key is a token object of class <c>CKO_SECRET_KEY</c>, type <c>CKK_AES</c>, 32 bytes, <c>CKA_SENSITIVE</c> true
/// and <c>CKA_EXTRACTABLE</c> false (a key that is extractable or not sensitive is refused), found by its label
/// (<see cref="Pkcs11MasterKeyOptions.KeyLabel"/>) and version (its <c>CKA_ID</c>, the decimal version in ASCII).
/// <see cref="GenerateKey"/> creates such a key, with <c>CKA_ID</c> = <c>&lt;version&gt;@&lt;yyyy-MM-dd&gt;</c> (the
/// creation date feeds <see cref="CheckAge"/>; a key made by other tools may have the version alone). Why GCM rather than AES key wrap: PKCS#11 key wrap mechanisms
/// (<c>CKM_AES_KEY_WRAP</c>, <c>CKM_AES_KEY_WRAP_PAD</c>) take no associated data, so they could not bind a wrapped key
/// to its key ring entry, and they wrap token objects, which would put every data key into the token first; GCM over
/// the key bytes does both in one call and is supported by SoftHSM2 and the common HSMs.
/// </para>
/// <para>
/// A wrapped key is <c>0x01 | key version (4 bytes, big-endian) | IV (12) | encrypted key | tag (16)</c>; the first
/// five bytes are authenticated with the associated data. <see cref="MasterKeyId"/> is <c>pkcs11:</c> and the key
/// label, without the version, so a key ring wrapped by an older version still loads: each wrapped key names its
/// version and is unwrapped by that version while it stays on the token. New wraps use
/// <see cref="KeyVersion"/>. Rotation: <see cref="GenerateKey"/> a new version, then
/// <see cref="RewrapKeyRingFile"/>; see <c>docs/runtime/key-rotation.md</c>.
/// </para>
/// <para>
/// The constructor loads the library, finds the token, logs in once and finds the key, so a wrong library, slot,
/// token, PIN or key label fails at startup with a <see cref="PhiConfigurationException"/> that names what is wrong
/// (never the PIN). PKCS#11 sessions are not thread-safe: each call takes a session from a pool of at most
/// <see cref="Pkcs11MasterKeyOptions.MaxSessions"/>; the login holds for all of them. Instances are thread-safe.
/// </para>
/// </remarks>
public sealed partial class Pkcs11MasterKey : IMasterKey, IDisposable
{
    private const byte WrapFormat = 0x01;
    private const int HeaderSize = 5;
    private const int IvSize = 12;
    private const int TagSize = 16;

    private readonly Pkcs11Library _library;
    private readonly ISlot _slot;
    private readonly ISession _loginSession;
    private readonly ConcurrentBag<ISession> _idle = new();
    private readonly SemaphoreSlim _sessions;
    private readonly ConcurrentDictionary<int, IObjectHandle> _keys = new();
    private readonly TimeSpan _sessionWait;
    private readonly TimeProvider _time;
    private readonly TimeSpan _rotationPeriod;
    private readonly TimeSpan _dueSoonWindow;
    private readonly ILogger _logger;
    private readonly object _sessionGate = new();
    private readonly List<ISession> _allSessions = new();
    private int _disposed;

    /// <summary>Opens the token, logs in and finds the key.</summary>
    /// <param name="options">The library, token, PIN and key.</param>
    /// <param name="logger">Receives the open summary and key age findings (labels, versions and slots only); optional.</param>
    /// <exception cref="PhiConfigurationException">
    /// A required option is missing; the library cannot be loaded; no token matches the slot or label; the PIN is wrong;
    /// no AES-256 key has the label (and version); or the key is extractable or not sensitive.
    /// </exception>
    public Pkcs11MasterKey(Pkcs11MasterKeyOptions options, ILogger<Pkcs11MasterKey>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = options.TimeProvider ?? TimeProvider.System;
        _sessionWait = options.SessionWaitTimeout;
        _rotationPeriod = options.RotationPeriod;
        _dueSoonWindow = options.DueSoonWindow;
        KeyLabel = options.KeyLabel;
        _sessions = new SemaphoreSlim(options.MaxSessions, options.MaxSessions);

        _library = Pkcs11Library.Acquire(options.LibraryPath!);
        ISession? login = null;
        bool loggedIn = false;
        try
        {
            (_slot, TokenLabel) = FindSlot(_library, options);
            SlotId = _slot.SlotId;
            SerializesTokenCalls = options.SerializeTokenCalls ?? IsSoftHsm(_slot);
            login = _slot.OpenSession(SessionType.ReadOnly);
            _library.Login(login, SlotId, options.Pin!, Describe(TokenLabel, SlotId));
            loggedIn = true;
            _loginSession = login;

            (IObjectHandle handle, int version, DateTimeOffset? createdAt) = FindKey(login, options.KeyVersion);
            KeyVersion = version;
            CreatedAt = createdAt;
            _keys[version] = handle;
        }
        catch
        {
            if (login is not null)
            {
                try
                {
                    login.CloseSession();
                }
                catch (Pkcs11Exception)
                {
                }
            }

            if (loggedIn)
            {
                _library.ReleaseLogin(SlotId);
            }

            _library.Release();
            throw;
        }

        Log.Opened(_logger, MasterKeyId, KeyVersion, TokenLabel, SlotId);
    }

    /// <inheritdoc/>
    /// <remarks><c>pkcs11:</c> and the key label; the same for every version of the key.</remarks>
    public string MasterKeyId => "pkcs11:" + KeyLabel;

    /// <summary>Gets the label of the key.</summary>
    public string KeyLabel { get; }

    /// <summary>Gets the version of the key that wraps new data keys.</summary>
    public int KeyVersion { get; }

    /// <summary>Gets when that version was created (the date in its <c>CKA_ID</c>, else its <c>CKA_START_DATE</c>), to the day, if known.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>Gets the label of the token.</summary>
    public string TokenLabel { get; }

    /// <summary>Gets the slot of the token.</summary>
    public ulong SlotId { get; }

    /// <summary>
    /// Gets a value indicating whether wrap and unwrap calls into the PKCS#11 module are made one at a time (see
    /// <see cref="Pkcs11MasterKeyOptions.SerializeTokenCalls"/>); the session pool and the single login are used either way.
    /// </summary>
    public bool SerializesTokenCalls { get; }

    /// <summary>
    /// Creates a new version of the master key on the token: AES-256, generated inside the token
    /// (<c>CKM_AES_KEY_GEN</c>), sensitive, not extractable, private, usable to encrypt and decrypt only, labelled
    /// <see cref="Pkcs11MasterKeyOptions.KeyLabel"/>, with <c>CKA_ID</c> = the next version number (or
    /// <see cref="Pkcs11MasterKeyOptions.KeyVersion"/> when set), <c>@</c> and today's date.
    /// </summary>
    /// <param name="options">The library, token, PIN and key label.</param>
    /// <returns>The version created.</returns>
    /// <exception cref="PhiConfigurationException">The token cannot be opened, or the version exists already.</exception>
    public static int GenerateKey(Pkcs11MasterKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Pkcs11Library library = Pkcs11Library.Acquire(options.LibraryPath!);
        try
        {
            (ISlot slot, string tokenLabel) = FindSlot(library, options);
            using ISession session = slot.OpenSession(SessionType.ReadWrite);
            library.Login(session, slot.SlotId, options.Pin!, Describe(tokenLabel, slot.SlotId));
            try
            {
                int[] existing = FindVersions(session, options.KeyLabel).Select(k => k.Version).ToArray();
                int version = options.KeyVersion ?? (existing.Length == 0 ? 1 : existing.Max() + 1);
                if (existing.Contains(version))
                {
                    throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 token '{tokenLabel}' already holds version {version} of the key '{options.KeyLabel}'."));
                }

                IObjectAttributeFactory a = session.Factories.ObjectAttributeFactory;
                DateTime today = (options.TimeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime.Date;
                var template = new List<IObjectAttribute>
                {
                    a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
                    a.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
                    a.Create(CKA.CKA_VALUE_LEN, 32),
                    a.Create(CKA.CKA_TOKEN, true),
                    a.Create(CKA.CKA_PRIVATE, true),
                    a.Create(CKA.CKA_SENSITIVE, true),
                    a.Create(CKA.CKA_EXTRACTABLE, false),
                    a.Create(CKA.CKA_ENCRYPT, true),
                    a.Create(CKA.CKA_DECRYPT, true),
                    a.Create(CKA.CKA_WRAP, false),
                    a.Create(CKA.CKA_UNWRAP, false),
                    a.Create(CKA.CKA_SIGN, false),
                    a.Create(CKA.CKA_VERIFY, false),
                    a.Create(CKA.CKA_DERIVE, false),
                    a.Create(CKA.CKA_LABEL, options.KeyLabel),
                    a.Create(CKA.CKA_ID, Encoding.ASCII.GetBytes(version.ToString(CultureInfo.InvariantCulture) + "@" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
                };
                session.GenerateKey(session.Factories.MechanismFactory.Create(CKM.CKM_AES_KEY_GEN), template);
                return version;
            }
            finally
            {
                library.ReleaseLogin(slot.SlotId);
            }
        }
        catch (Pkcs11Exception exception)
        {
            throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 token could not generate the key '{options.KeyLabel}' ({exception.RV})."), exception);
        }
        finally
        {
            library.Release();
        }
    }

    /// <summary>
    /// Re-wraps a key ring file with another master key (typically a new version of this key): loads it with
    /// <paramref name="current"/>, saves it atomically with <paramref name="next"/>, and loads it again with
    /// <paramref name="next"/> to check. The data keys do not change, so everything they encrypted stays readable.
    /// </summary>
    /// <param name="path">The key ring file.</param>
    /// <param name="current">A master key that unwraps the file as it is.</param>
    /// <param name="next">The master key to wrap it with.</param>
    /// <returns>The number of keys re-wrapped.</returns>
    public static int RewrapKeyRingFile(string path, IMasterKey current, IMasterKey next)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        KeyRing ring = KeyRingFile.Load(path, current);
        try
        {
            KeyRingFile.Save(path, ring, next);
            KeyRing check = KeyRingFile.Load(path, next);
            check.DisposeKeys();
            return ring.Entries.Count;
        }
        finally
        {
            ring.DisposeKeys();
        }
    }

    /// <summary>Reads the key version a wrapped key names (to check that a key ring was re-wrapped), without unwrapping it.</summary>
    /// <param name="wrappedKey">A key wrapped by a <see cref="Pkcs11MasterKey"/>.</param>
    /// <returns>The version, or <see langword="null"/> when the bytes are not such a wrapped key.</returns>
    public static int? GetWrappingVersion(ReadOnlySpan<byte> wrappedKey) =>
        wrappedKey.Length >= HeaderSize + IvSize + TagSize && wrappedKey[0] == WrapFormat
            ? (int)BinaryPrimitives.ReadUInt32BigEndian(wrappedKey.Slice(1, 4))
            : null;

    /// <inheritdoc/>
    public byte[] WrapKey(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData)
    {
        ThrowIfDisposed();
        if (dataKey.Length is < DataKey.MinimumKeySizeInBytes or > DataKey.MaximumKeySizeInBytes)
        {
            throw new ArgumentException(CryptoText.Format($"A data key is {DataKey.MinimumKeySizeInBytes} to {DataKey.MaximumKeySizeInBytes} bytes long; this one is {dataKey.Length} bytes long."), nameof(dataKey));
        }

        byte[] header = new byte[HeaderSize];
        header[0] = WrapFormat;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)KeyVersion);
        byte[] iv = RandomNumberGenerator.GetBytes(IvSize);
        byte[] aad = Concat(header, associatedData);
        byte[] plain = dataKey.ToArray();
        byte[] sealedKey;
        ISession session = Rent();
        try
        {
            using ICkGcmParams parameters = GcmParameters(session, iv, aad);
            bool serialized = EnterToken();
            try
            {
                sealedKey = session.Encrypt(Gcm(session, parameters), _keys[KeyVersion], plain);
            }
            finally
            {
                ExitToken(serialized);
            }

            GC.KeepAlive(parameters);
        }
        catch (Pkcs11Exception exception)
        {
            Discard(session, exception);
            session = null!;
            throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 token '{TokenLabel}' failed to wrap a data key with '{KeyLabel}' v{KeyVersion} ({exception.RV})."), exception);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            Return(session);
        }

        if (sealedKey.Length != dataKey.Length + TagSize)
        {
            throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 token '{TokenLabel}' returned {sealedKey.Length} bytes for AES-GCM over a {dataKey.Length}-byte key; expected the ciphertext and a 16-byte tag."));
        }

        byte[] wrapped = new byte[HeaderSize + IvSize + sealedKey.Length];
        header.CopyTo(wrapped, 0);
        iv.CopyTo(wrapped, HeaderSize);
        sealedKey.CopyTo(wrapped, HeaderSize + IvSize);
        return wrapped;
    }

    /// <inheritdoc/>
    public int UnwrapKey(ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        ThrowIfDisposed();
        int keyLength = wrappedKey.Length - HeaderSize - IvSize - TagSize;
        if (keyLength is < DataKey.MinimumKeySizeInBytes or > DataKey.MaximumKeySizeInBytes)
        {
            throw new KeyUnwrapException(CryptoText.Format($"The wrapped key is {wrappedKey.Length} bytes long, which is not the length of a key wrapped by a PKCS#11 master key."));
        }

        if (wrappedKey[0] != WrapFormat)
        {
            throw new KeyUnwrapException(CryptoText.Format($"The wrapped key has format {wrappedKey[0]}; a PKCS#11 master key of this release writes format {WrapFormat}."));
        }

        if (destination.Length < keyLength)
        {
            throw new ArgumentException("The destination is too short for the unwrapped key.", nameof(destination));
        }

        int version = (int)BinaryPrimitives.ReadUInt32BigEndian(wrappedKey.Slice(1, 4));
        byte[] aad = Concat(wrappedKey.Slice(0, HeaderSize), associatedData);
        byte[] iv = wrappedKey.Slice(HeaderSize, IvSize).ToArray();
        byte[] sealedKey = wrappedKey.Slice(HeaderSize + IvSize).ToArray();
        byte[]? plain = null;
        ISession session = Rent();
        try
        {
            using ICkGcmParams parameters = GcmParameters(session, iv, aad);
            bool serialized = EnterToken();
            try
            {
                IObjectHandle key = GetKey(session, version);
                plain = session.Decrypt(Gcm(session, parameters), key, sealedKey);
            }
            finally
            {
                ExitToken(serialized);
            }

            GC.KeepAlive(parameters);
        }
        catch (Pkcs11Exception exception) when (exception.RV is CKR.CKR_ENCRYPTED_DATA_INVALID or CKR.CKR_ENCRYPTED_DATA_LEN_RANGE or CKR.CKR_GENERAL_ERROR or CKR.CKR_FUNCTION_FAILED)
        {
            throw new KeyUnwrapException(CryptoText.Format(
                $"The wrapped key failed authentication under master key '{MasterKeyId}' v{version}: it was modified, or moved from another key ring entry (its id, purpose or creation date changed)."));
        }
        catch (Pkcs11Exception exception)
        {
            Discard(session, exception);
            session = null!;
            throw new KeyUnwrapException(CryptoText.Format($"The PKCS#11 token '{TokenLabel}' failed to unwrap a data key with '{KeyLabel}' v{version} ({exception.RV})."));
        }
        finally
        {
            Return(session);
        }

        try
        {
            if (plain.Length != keyLength)
            {
                throw new KeyUnwrapException(CryptoText.Format($"The PKCS#11 token '{TokenLabel}' returned a key of {plain.Length} bytes; expected {keyLength}."));
            }

            plain.CopyTo(destination);
            return keyLength;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Compares the age of the wrapping key version (from <see cref="CreatedAt"/>) with
    /// <see cref="Pkcs11MasterKeyOptions.RotationPeriod"/> (90 days by default) and logs a warning when it is overdue,
    /// as <see cref="KeyAgeCheck"/> does for data keys. Run both at startup and on a schedule.
    /// </summary>
    /// <returns><see cref="KeyAgeStatus.Current"/>, <see cref="KeyAgeStatus.DueSoon"/>, <see cref="KeyAgeStatus.Overdue"/>, or <see cref="KeyAgeStatus.UnknownAge"/> when the token has no start date for the key.</returns>
    public KeyAgeStatus CheckAge()
    {
        if (CreatedAt is not { } created)
        {
            Log.AgeUnknown(_logger, MasterKeyId, KeyVersion);
            return KeyAgeStatus.UnknownAge;
        }

        TimeSpan age = _time.GetUtcNow() - created;
        if (age > _rotationPeriod)
        {
            Log.Overdue(_logger, MasterKeyId, KeyVersion, (int)age.TotalDays, (int)_rotationPeriod.TotalDays);
            return KeyAgeStatus.Overdue;
        }

        if (age > _rotationPeriod - _dueSoonWindow)
        {
            Log.DueSoon(_logger, MasterKeyId, KeyVersion, (int)age.TotalDays, (int)_rotationPeriod.TotalDays);
            return KeyAgeStatus.DueSoon;
        }

        return KeyAgeStatus.Current;
    }

    /// <summary>Returns the key label, version and token; never the PIN or key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        CryptoText.Format($"Pkcs11MasterKey {MasterKeyId} v{KeyVersion} on token '{TokenLabel}' (slot {SlotId}; AES-256-GCM inside the token, key not extractable)");

    /// <summary>Closes the sessions (the last one logs out) and releases the library.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_sessionGate)
        {
            foreach (ISession session in _allSessions)
            {
                Close(session);
            }

            _allSessions.Clear();
        }

        Close(_loginSession);
        _library.ReleaseLogin(SlotId);
        _library.Release();
        _sessions.Dispose();
    }

    private static void Validate(Pkcs11MasterKeyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.LibraryPath))
        {
            throw new PhiConfigurationException("The PKCS#11 library is not configured: set " + Pkcs11MasterKeyOptions.LibraryPathVariable + " or Pkcs11MasterKeyOptions.LibraryPath to the HSM vendor's module (for SoftHSM2: /usr/lib/softhsm/libsofthsm2.so).");
        }

        if (options.SlotId is null && string.IsNullOrEmpty(options.TokenLabel))
        {
            throw new PhiConfigurationException("The PKCS#11 token is not configured: set " + Pkcs11MasterKeyOptions.TokenLabelVariable + " (or Pkcs11MasterKeyOptions.TokenLabel) or " + Pkcs11MasterKeyOptions.SlotIdVariable + " (or SlotId).");
        }

        if (string.IsNullOrEmpty(options.Pin))
        {
            throw new PhiConfigurationException("The PKCS#11 user PIN is not configured: set " + Pkcs11MasterKeyOptions.PinVariable + " or Pkcs11MasterKeyOptions.Pin.");
        }

        if (string.IsNullOrEmpty(options.KeyLabel))
        {
            throw new PhiConfigurationException("Pkcs11MasterKeyOptions.KeyLabel is empty: name the master key's CKA_LABEL.");
        }

        if (options.MaxSessions < 1 || options.SessionWaitTimeout <= TimeSpan.Zero || options.RotationPeriod <= TimeSpan.Zero || options.DueSoonWindow < TimeSpan.Zero || options.KeyVersion is <= 0)
        {
            throw new PhiConfigurationException("Pkcs11MasterKeyOptions: MaxSessions must be at least 1, SessionWaitTimeout and RotationPeriod positive, DueSoonWindow not negative, KeyVersion positive when set.");
        }
    }

    /// <summary>
    /// SoftHSM2 (2.6.x, the version Debian and Ubuntu ship) is known to crash under concurrent cryptographic calls from
    /// several sessions (SoftHSMv2 issue 688), and crashes the process here under load too; its calls are serialized.
    /// </summary>
    private static bool IsSoftHsm(ISlot slot)
    {
        try
        {
            return slot.GetTokenInfo().ManufacturerId.Trim().StartsWith("SoftHSM", StringComparison.OrdinalIgnoreCase);
        }
        catch (Pkcs11Exception)
        {
            return true;
        }
    }

    private static string Describe(string tokenLabel, ulong slotId) => CryptoText.Format($"'{tokenLabel}' (slot {slotId})");

    private static (ISlot Slot, string TokenLabel) FindSlot(Pkcs11Library library, Pkcs11MasterKeyOptions options)
    {
        List<ISlot> slots;
        try
        {
            slots = library.Library.GetSlotList(SlotsType.WithTokenPresent);
        }
        catch (Pkcs11Exception exception)
        {
            throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 library '{library.Path}' could not list its slots ({exception.RV})."), exception);
        }

        var present = new List<(ISlot Slot, string Label)>();
        foreach (ISlot slot in slots)
        {
            string label;
            try
            {
                label = slot.GetTokenInfo().Label.Trim();
            }
            catch (Pkcs11Exception)
            {
                continue;
            }

            present.Add((slot, label));
        }

        string available = present.Count == 0
            ? "no slot has a token (initialize one, for SoftHSM2 with softhsm2-util --init-token)"
            : "tokens present: " + string.Join(", ", present.Select(p => CryptoText.Format($"'{p.Label}' in slot {p.Slot.SlotId}")));
        List<(ISlot Slot, string Label)> matches = present
            .Where(p => options.SlotId is not { } id || p.Slot.SlotId == id)
            .Where(p => options.TokenLabel is not { Length: > 0 } label || string.Equals(p.Label, label, StringComparison.Ordinal))
            .ToList();
        if (matches.Count == 0)
        {
            string wanted = options.SlotId is { } slotId
                ? CryptoText.Format($"slot {slotId}") + (options.TokenLabel is { Length: > 0 } l ? " with the token label '" + l + "'" : string.Empty)
                : "a token labelled '" + options.TokenLabel + "'";
            throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 library '{library.Path}' has no {wanted}; {available}. Check {Pkcs11MasterKeyOptions.SlotIdVariable} / {Pkcs11MasterKeyOptions.TokenLabelVariable}."));
        }

        if (matches.Count > 1)
        {
            throw new PhiConfigurationException(CryptoText.Format($"More than one PKCS#11 token is labelled '{options.TokenLabel}' ({available}); set {Pkcs11MasterKeyOptions.SlotIdVariable} as well."));
        }

        return matches[0];
    }

    private static List<(IObjectHandle Handle, int Version, DateTimeOffset? CreatedAt)> FindVersions(ISession session, string label)
    {
        IObjectAttributeFactory a = session.Factories.ObjectAttributeFactory;
        List<IObjectHandle> handles = session.FindAllObjects(new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            a.Create(CKA.CKA_LABEL, label),
        });
        var versions = new List<(IObjectHandle, int, DateTimeOffset?)>();
        foreach (IObjectHandle handle in handles)
        {
            byte[] id = session.GetAttributeValue(handle, new List<CKA> { CKA.CKA_ID })[0].GetValueAsByteArray() ?? Array.Empty<byte>();
            if (TryParseId(Encoding.ASCII.GetString(id), out int version, out DateTimeOffset? createdAt))
            {
                versions.Add((handle, version, createdAt));
            }
        }

        return versions;
    }

    /// <summary>Reads a key's CKA_ID: the version in decimal, optionally followed by <c>@yyyy-MM-dd</c>, the creation date.</summary>
    private static bool TryParseId(string id, out int version, out DateTimeOffset? createdAt)
    {
        createdAt = null;
        string[] parts = id.Split('@', 2);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out version) || version <= 0)
        {
            return false;
        }

        if (parts.Length == 2 && DateTime.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime date))
        {
            createdAt = new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc));
        }

        return true;
    }

    private (IObjectHandle Handle, int Version, DateTimeOffset? CreatedAt) FindKey(ISession session, int? wanted)
    {
        List<(IObjectHandle Handle, int Version, DateTimeOffset? CreatedAt)> versions;
        try
        {
            versions = FindVersions(session, KeyLabel);
        }
        catch (Pkcs11Exception exception)
        {
            throw new PhiConfigurationException(CryptoText.Format($"Searching the PKCS#11 token '{TokenLabel}' for the key '{KeyLabel}' failed ({exception.RV})."), exception);
        }

        if (versions.Count == 0)
        {
            throw new PhiConfigurationException(CryptoText.Format(
                $"The PKCS#11 token '{TokenLabel}' (slot {SlotId}) holds no secret key labelled '{KeyLabel}' with a version in CKA_ID. Create one with Pkcs11MasterKey.GenerateKey, or check {Pkcs11MasterKeyOptions.KeyLabelVariable}."));
        }

        (IObjectHandle Handle, int Version, DateTimeOffset? CreatedAt) chosen;
        if (wanted is { } version)
        {
            if (versions.Where(v => v.Version == version).ToList() is not [var match])
            {
                throw new PhiConfigurationException(CryptoText.Format(
                    $"The PKCS#11 token '{TokenLabel}' holds no version {version} of the key '{KeyLabel}' (versions present: {string.Join(", ", versions.Select(v => v.Version).Order())}). Check {Pkcs11MasterKeyOptions.KeyVersionVariable}."));
            }

            chosen = match;
        }
        else
        {
            chosen = versions.MaxBy(v => v.Version);
        }

        DateTimeOffset? startDate = CheckKey(session, chosen.Handle, chosen.Version);
        return (chosen.Handle, chosen.Version, chosen.CreatedAt ?? startDate);
    }

    /// <summary>
    /// Refuses a key that is not AES-256, can leave the token, or cannot encrypt and decrypt; returns its
    /// <c>CKA_START_DATE</c> when the token gives it (keys made by other tools; SoftHSM2 fails to read it back on private
    /// objects, which is why <see cref="GenerateKey"/> records the date in <c>CKA_ID</c>).
    /// </summary>
    private DateTimeOffset? CheckKey(ISession session, IObjectHandle handle, int version)
    {
        List<IObjectAttribute> attributes = session.GetAttributeValue(handle, new List<CKA>
        {
            CKA.CKA_KEY_TYPE, CKA.CKA_VALUE_LEN, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_ENCRYPT, CKA.CKA_DECRYPT,
        });
        string name = CryptoText.Format($"The key '{KeyLabel}' v{version} on the PKCS#11 token '{TokenLabel}'");
        if (attributes[0].GetValueAsUlong() != (ulong)CKK.CKK_AES || attributes[1].GetValueAsUlong() != 32)
        {
            throw new PhiConfigurationException(name + " is not an AES-256 key.");
        }

        if (!attributes[2].GetValueAsBool() || attributes[3].GetValueAsBool())
        {
            throw new PhiConfigurationException(name + " can leave the token (CKA_SENSITIVE must be true and CKA_EXTRACTABLE false); create a new one with Pkcs11MasterKey.GenerateKey.");
        }

        if (!attributes[4].GetValueAsBool() || !attributes[5].GetValueAsBool())
        {
            throw new PhiConfigurationException(name + " is not allowed to encrypt and decrypt (CKA_ENCRYPT, CKA_DECRYPT).");
        }

        try
        {
            IObjectAttribute start = session.GetAttributeValue(handle, new List<CKA> { CKA.CKA_START_DATE })[0];
            return start.CannotBeRead || start.GetValueAsDateTime() is not { } date
                ? null
                : new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or Pkcs11Exception)
        {
            return null;
        }
    }

    private IObjectHandle GetKey(ISession session, int version)
    {
        if (_keys.TryGetValue(version, out IObjectHandle? handle))
        {
            return handle;
        }

        List<(IObjectHandle Handle, int Version, DateTimeOffset? CreatedAt)> found = FindVersions(session, KeyLabel).Where(v => v.Version == version).ToList();
        if (found.Count != 1)
        {
            throw new KeyUnwrapException(CryptoText.Format(
                $"The wrapped key was wrapped by version {version} of '{KeyLabel}', which the PKCS#11 token '{TokenLabel}' does not hold (any more). Restore that key version, or load a key ring re-wrapped with a version on the token."));
        }

        CheckKey(session, found[0].Handle, version);
        return _keys.GetOrAdd(version, found[0].Handle);
    }

    /// <summary>
    /// The GCM parameters hold the IV and AAD in unmanaged memory that their finalizer frees: the caller keeps them alive
    /// (and disposes them) until the token call returns, or the call could read freed memory.
    /// </summary>
    private static ICkGcmParams GcmParameters(ISession session, byte[] iv, byte[] aad) =>
        session.Factories.MechanismParamsFactory.CreateCkGcmParams(iv, IvSize * 8, aad, TagSize * 8);

    private static IMechanism Gcm(ISession session, ICkGcmParams parameters) =>
        session.Factories.MechanismFactory.Create(CKM.CKM_AES_GCM, parameters);

    private static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        byte[] result = new byte[first.Length + second.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        return result;
    }

    /// <summary>Enters the module-wide gate when calls into this module must not overlap; returns whether it did.</summary>
    private bool EnterToken()
    {
        if (!SerializesTokenCalls)
        {
            return false;
        }

        Monitor.Enter(_library.CallGate);
        return true;
    }

    private void ExitToken(bool entered)
    {
        if (entered)
        {
            Monitor.Exit(_library.CallGate);
        }
    }

    private ISession Rent()
    {
        if (!_sessions.Wait(_sessionWait))
        {
            throw new TimeoutException(CryptoText.Format($"No PKCS#11 session of the token '{TokenLabel}' became free within {_sessionWait.TotalSeconds:N0} s ({_allSessions.Count} open)."));
        }

        if (_idle.TryTake(out ISession? session))
        {
            return session;
        }

        try
        {
            session = _slot.OpenSession(SessionType.ReadOnly);
        }
        catch (Pkcs11Exception exception)
        {
            _sessions.Release();
            throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 token '{TokenLabel}' refused to open a session ({exception.RV})."), exception);
        }

        lock (_sessionGate)
        {
            _allSessions.Add(session);
        }

        return session;
    }

    private void Return(ISession? session)
    {
        if (session is not null)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                _idle.Add(session);
            }
        }

        try
        {
            _sessions.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes a session after an error that may have left it unusable; the pool opens a new one when needed.</summary>
    private void Discard(ISession session, Pkcs11Exception exception)
    {
        if (exception.RV is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED or CKR.CKR_DEVICE_ERROR or CKR.CKR_DEVICE_REMOVED or CKR.CKR_OPERATION_ACTIVE or CKR.CKR_TOKEN_NOT_PRESENT)
        {
            lock (_sessionGate)
            {
                _allSessions.Remove(session);
            }

            Close(session);
            return;
        }

        _idle.Add(session);
    }

    private static void Close(ISession session)
    {
        try
        {
            session.CloseSession();
        }
        catch (Pkcs11Exception)
        {
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static partial class Log
    {
        [LoggerMessage(EventId = 7501, EventName = "Pkcs11MasterKeyOpened", Level = LogLevel.Information,
            Message = "Opened the PKCS#11 master key {MasterKeyId} v{Version} on token {TokenLabel} (slot {SlotId}).")]
        public static partial void Opened(ILogger logger, string masterKeyId, int version, string tokenLabel, ulong slotId);

        [LoggerMessage(EventId = 7502, EventName = "MasterKeyRotationOverdue", Level = LogLevel.Warning,
            Message = "The master key {MasterKeyId} v{Version} is {AgeDays} days old, older than its rotation period of {PeriodDays} days. Rotate it: see docs/runtime/key-rotation.md.")]
        public static partial void Overdue(ILogger logger, string masterKeyId, int version, int ageDays, int periodDays);

        [LoggerMessage(EventId = 7503, EventName = "MasterKeyRotationDueSoon", Level = LogLevel.Information,
            Message = "The master key {MasterKeyId} v{Version} is {AgeDays} days old; its rotation period of {PeriodDays} days ends soon.")]
        public static partial void DueSoon(ILogger logger, string masterKeyId, int version, int ageDays, int periodDays);

        [LoggerMessage(EventId = 7504, EventName = "MasterKeyAgeUnknown", Level = LogLevel.Warning,
            Message = "The master key {MasterKeyId} v{Version} has no CKA_START_DATE, so its age cannot be checked.")]
        public static partial void AgeUnknown(ILogger logger, string masterKeyId, int version);
    }
}
