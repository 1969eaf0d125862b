using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace HipaaAnalyzers.Runtime.Pkcs11;

/// <summary>
/// A PKCS#11 library loaded once per process. PKCS#11 state is process-wide: <c>C_Initialize</c> may run once, and a
/// login holds for every session of the process on that token. Master keys on the same library share one instance,
/// which is finalized when the last of them is disposed.
/// </summary>
internal sealed class Pkcs11Library
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Pkcs11Library> Loaded = new(StringComparer.Ordinal);

    private static bool ResolverSet;

    private readonly Dictionary<ulong, (byte[] PinHash, int Users)> _loggedIn = new();
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private int _references;

    private Pkcs11Library(string path, IPkcs11Library library, Pkcs11InteropFactories factories)
    {
        Path = path;
        Library = library;
        Factories = factories;
    }

    public string Path { get; }

    /// <summary>Serializes calls into a module that is not safe for concurrent use (see <see cref="Pkcs11MasterKey.SerializesTokenCalls"/>).</summary>
    public object CallGate { get; } = new();

    public IPkcs11Library Library { get; }

    public Pkcs11InteropFactories Factories { get; }

    public static Pkcs11Library Acquire(string path)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        lock (Gate)
        {
            ResolveLibdl();
            if (!Loaded.TryGetValue(fullPath, out Pkcs11Library? shared))
            {
                if (!File.Exists(fullPath))
                {
                    throw new PhiConfigurationException(CryptoText.Format(
                        $"The PKCS#11 library '{fullPath}' does not exist. Install the HSM vendor's PKCS#11 module (for SoftHSM2 on Debian: apt-get install softhsm2, /usr/lib/softhsm/libsofthsm2.so) and set {Pkcs11MasterKeyOptions.LibraryPathVariable} or Pkcs11MasterKeyOptions.LibraryPath."));
                }

                var factories = new Pkcs11InteropFactories();
                IPkcs11Library library;
                try
                {
                    library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, fullPath, AppType.MultiThreaded);
                }
                catch (Pkcs11Exception exception)
                {
                    throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 library '{fullPath}' failed to initialize ({exception.RV})."), exception);
                }
                catch (Exception exception) when (exception is UnmanagedException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
                {
                    throw new PhiConfigurationException(CryptoText.Format($"The PKCS#11 library '{fullPath}' could not be loaded ({exception.GetType().Name}): it is not a PKCS#11 module for this platform."), exception);
                }

                shared = new Pkcs11Library(fullPath, library, factories);
                Loaded[fullPath] = shared;
            }

            shared._references++;
            return shared;
        }
    }

    /// <summary>
    /// Pkcs11Interop loads modules with <c>dlopen</c> imported from <c>libdl</c>. glibc 2.34 and later (Debian 12) keep
    /// <c>dlopen</c> in libc and ship only <c>libdl.so.2</c>, with no <c>libdl.so</c> unless the development package is
    /// installed, so the import is pointed at <c>libdl.so.2</c> (or libc). An application that set its own resolver for
    /// Pkcs11Interop keeps it.
    /// </summary>
    private static void ResolveLibdl()
    {
        if (ResolverSet || !OperatingSystem.IsLinux())
        {
            return;
        }

        ResolverSet = true;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, static (name, assembly, searchPath) =>
            {
                if (name != "libdl")
                {
                    return IntPtr.Zero;
                }

                foreach (string candidate in new[] { "libdl.so", "libdl.so.2", "libc.so.6" })
                {
                    if (NativeLibrary.TryLoad(candidate, out IntPtr handle))
                    {
                        return handle;
                    }
                }

                return IntPtr.Zero;
            });
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for Pkcs11Interop.
        }
    }

    public void Release()
    {
        lock (Gate)
        {
            if (--_references > 0)
            {
                return;
            }

            Loaded.Remove(Path);
            _loggedIn.Clear();
            Library.Dispose();
        }
    }

    /// <summary>
    /// Logs the user in on <paramref name="slotId"/> through <paramref name="session"/>, once per process. A second master
    /// key on a token that is already logged in must present the same PIN (compared as a salted hash), since the token
    /// itself no longer checks it.
    /// </summary>
    public void Login(ISession session, ulong slotId, string pin, string tokenDescription)
    {
        byte[] pinHash = HashPin(pin);
        lock (Gate)
        {
            if (_loggedIn.TryGetValue(slotId, out (byte[] PinHash, int Users) existing))
            {
                if (!CryptographicOperations.FixedTimeEquals(existing.PinHash, pinHash))
                {
                    throw new PhiConfigurationException(CryptoText.Format(
                        $"Login to the PKCS#11 token {tokenDescription} failed: this process is already logged in to it with a different PIN. Check {Pkcs11MasterKeyOptions.PinVariable} (the PIN is not shown)."));
                }

                _loggedIn[slotId] = (existing.PinHash, existing.Users + 1);
                return;
            }

            try
            {
                session.Login(CKU.CKU_USER, pin);
            }
            catch (Pkcs11Exception exception) when (exception.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Logged in by other code of this process through the same library; nothing to compare with.
            }
            catch (Pkcs11Exception exception)
            {
                string reason = exception.RV switch
                {
                    CKR.CKR_PIN_INCORRECT => "the PIN is incorrect",
                    CKR.CKR_PIN_LOCKED => "the PIN is locked after too many failed attempts; the security officer must unlock it",
                    CKR.CKR_PIN_EXPIRED => "the PIN has expired",
                    CKR.CKR_PIN_LEN_RANGE => "the PIN has a length the token does not accept, so it cannot be right",
                    CKR.CKR_USER_PIN_NOT_INITIALIZED => "the token's user PIN has not been initialized",
                    _ => "the token refused the login",
                };
                throw new PhiConfigurationException(CryptoText.Format(
                    $"Login to the PKCS#11 token {tokenDescription} failed: {reason} ({exception.RV}). Check {Pkcs11MasterKeyOptions.PinVariable} or Pkcs11MasterKeyOptions.Pin (the PIN is not shown)."), exception);
            }

            _loggedIn[slotId] = (pinHash, 1);
        }
    }

    /// <summary>
    /// Called by a master key that closes its sessions: when it was the last user of the slot's login, the login is
    /// forgotten (closing the last session of a token logs the user out).
    /// </summary>
    public void ReleaseLogin(ulong slotId)
    {
        lock (Gate)
        {
            if (_loggedIn.TryGetValue(slotId, out (byte[] PinHash, int Users) existing))
            {
                if (existing.Users <= 1)
                {
                    _loggedIn.Remove(slotId);
                }
                else
                {
                    _loggedIn[slotId] = (existing.PinHash, existing.Users - 1);
                }
            }
        }
    }

    private byte[] HashPin(string pin)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(pin);
        try
        {
            return HMACSHA256.HashData(_salt, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
