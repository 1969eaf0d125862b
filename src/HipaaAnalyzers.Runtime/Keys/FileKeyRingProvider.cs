using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime;

/// <summary>Options of <see cref="FileKeyRingProvider"/> when it is registered with dependency injection.</summary>
public sealed class FileKeyRingOptions
{
    /// <summary>Gets or sets the path of the key ring file. Required.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Gets or sets the environment variable with the master key, used when no <see cref="IMasterKey"/> is
    /// registered. Default <c>HIPAA_MASTER_KEY</c>.
    /// </summary>
    public string MasterKeyEnvironmentVariable { get; set; } = LocalMasterKey.DefaultEnvironmentVariable;
}

/// <summary>
/// An <see cref="IKeyRingProvider"/> that loads a key ring file (see <see cref="KeyRingFile"/>) whose data
/// keys are wrapped by a master key, by default <see cref="LocalMasterKey"/> read from the
/// <c>HIPAA_MASTER_KEY</c> environment variable, or a KMS-backed <see cref="IMasterKey"/>.
/// </summary>
/// <remarks>
/// The file is read on the first <see cref="GetKeyRing"/> and again on <see cref="Reload"/>, which swaps
/// the ring atomically; operations in flight finish with the ring they started with. The provider owns
/// every key it loaded and zeroes them on <see cref="Dispose"/> (not on reload, since an operation may
/// still be using a key of the previous ring).
/// </remarks>
public sealed partial class FileKeyRingProvider : IKeyRingProvider, IDisposable
{
    private readonly IMasterKey _masterKey;
    private readonly bool _ownsMasterKey;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly List<DataKey> _loadedKeys = new();
    private volatile KeyRing? _keyRing;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="FileKeyRingProvider"/> class.</summary>
    /// <param name="path">The key ring file.</param>
    /// <param name="masterKey">The master key that wraps its keys; not disposed by the provider.</param>
    /// <param name="logger">Receives load summaries (key ids and counts only); optional.</param>
    public FileKeyRingProvider(string path, IMasterKey masterKey, ILogger<FileKeyRingProvider>? logger = null)
        : this(path, masterKey, ownsMasterKey: false, logger)
    {
    }

    internal FileKeyRingProvider(string path, IMasterKey masterKey, bool ownsMasterKey, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(masterKey);
        Path = path;
        _masterKey = masterKey;
        _ownsMasterKey = ownsMasterKey;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the path of the key ring file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    /// <exception cref="KeyRingFormatException">The file is malformed.</exception>
    /// <exception cref="KeyUnwrapException">The master key is not the one the file was written with, or a wrapped key was modified.</exception>
    public KeyRing GetKeyRing() => _keyRing ?? LoadOnce();

    /// <summary>
    /// Reads the file again and makes its ring the current one, for example after a rotation step was
    /// saved. When the file cannot be loaded, the current ring stays in place and the error is thrown.
    /// </summary>
    /// <returns>The new key ring.</returns>
    public KeyRing Reload()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            KeyRing ring;
            try
            {
                ring = KeyRingFile.Load(Path, _masterKey);
            }
            catch (Exception exception) when (exception is FieldEncryptionException or PhiConfigurationException)
            {
                Log.LoadFailed(_logger, Path, exception.GetType().Name);
                throw;
            }

            foreach (KeyRingEntry entry in ring.Entries)
            {
                _loadedKeys.Add(entry.Key);
            }

            _keyRing = ring;
            Log.Loaded(_logger, Path, ring.Entries.Count, ring.GetActiveKey(KeyPurpose.Encryption)?.KeyId ?? "(none)", _masterKey.MasterKeyId);
            return ring;
        }
    }

    /// <summary>Returns the path and a description of the current ring; never key material.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "FileKeyRingProvider '" + Path + "': " + (_keyRing?.ToString() ?? "not loaded");

    /// <summary>Loads the file on first use; concurrent first calls load it once.</summary>
    private KeyRing LoadOnce()
    {
        lock (_gate)
        {
            return _keyRing ?? Reload();
        }
    }

    /// <summary>Zeroes every key this provider loaded (and the master key, when the provider created it).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (DataKey key in _loadedKeys)
            {
                key.Dispose();
            }

            _loadedKeys.Clear();
            if (_ownsMasterKey)
            {
                (_masterKey as IDisposable)?.Dispose();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7111, EventName = "KeyRingFileLoaded", Level = LogLevel.Information,
            Message = "Loaded the key ring file {Path}: {KeyCount} key(s), active encryption key {ActiveKeyId}, master key {MasterKeyId}.")]
        public static partial void Loaded(ILogger logger, string path, int keyCount, string activeKeyId, string masterKeyId);

        [LoggerMessage(EventId = 7112, EventName = "KeyRingFileLoadFailed", Level = LogLevel.Error,
            Message = "Could not load the key ring file {Path} ({ErrorType}); the exception says why.")]
        public static partial void LoadFailed(ILogger logger, string path, string errorType);
    }
}
