using System;
using System.Collections.Generic;
using System.Linq;

namespace HipaaAnalyzers.Corpus;

/// <summary>
/// Writes one module of the generated app: an entity with its DTOs, a repository, a service that logs, and a random
/// selection of a controller, minimal API endpoints, a validator, a background job, an HTTP client and a protector.
/// Every choice is drawn from the module's own random stream, so modules differ in shape, not only in names.
/// </summary>
internal sealed partial class ModuleWriter
{
    public const string Rule001 = "HIPAA001";
    public const string Rule002 = "HIPAA002";
    public const string Rule003 = "HIPAA003";
    public const string Rule004 = "HIPAA004";

    private readonly Random _random;
    private readonly EntitySpec _e;
    private readonly string _site;
    private readonly string _namespace;
    private readonly string _folder;
    private readonly IDictionary<string, int> _leaks;
    private readonly double _leakRate;
    private readonly List<CorpusFile> _files = new();

    private readonly bool _hasController;
    private readonly bool _hasEndpoints;
    private readonly bool _hasValidator;
    private readonly bool _hasJob;
    private readonly bool _hasClient;
    private readonly bool _hasProtector;
    private readonly bool _hasSearch;
    private readonly bool _hasUpdateStatus;
    private readonly bool _hasCounts;
    private readonly bool _hasExport;
    private readonly bool _hasDescribe;
    private readonly bool _hasBatch;
    private readonly bool _hasArchive;
    private readonly bool _hasClassify;
    private readonly bool _hasStream;
    private readonly bool _hasReconcile;
    private readonly bool _hasNotify;
    private readonly bool _hasRetry;
    private readonly bool _hasCounter;
    private readonly bool _useLoggerMessageDefine;
    private readonly string _policy;
    private readonly string _jobWord;
    private readonly string _partner;

    public ModuleWriter(string site, DomainTemplate domain, Random random, IDictionary<string, int> leaks, double leakRate)
    {
        _random = random;
        _site = site;
        _e = new EntitySpec(domain, random);
        _namespace = "Contoso.Health." + site + "." + domain.Plural;
        _folder = site + "/" + domain.Plural;
        Module = site + "." + domain.Plural;
        _leaks = leaks;
        _leakRate = leakRate;

        _hasController = random.Chance(0.7);
        _hasEndpoints = !_hasController || random.Chance(0.35);
        _hasValidator = random.Chance(0.55);
        _hasJob = random.Chance(0.35);
        _hasClient = random.Chance(0.3);
        _hasProtector = random.Chance(0.3);
        _hasSearch = random.Chance(0.8);
        _hasUpdateStatus = random.Chance(0.85);
        _hasCounts = random.Chance(0.5);
        _hasExport = random.Chance(0.4);
        _hasDescribe = random.Chance(0.4);
        _hasBatch = random.Chance(0.4);
        _hasArchive = random.Chance(0.4);
        _hasClassify = random.Chance(0.4);
        _hasStream = random.Chance(0.3);
        _hasReconcile = random.Chance(0.3);
        _hasNotify = _e.Kind == EntityKind.Person && _e.Properties.Any(p => p.Name == "Email") && random.Chance(0.6);
        _hasRetry = random.Chance(0.2);
        _hasCounter = random.Chance(0.5);
        _useLoggerMessageDefine = random.Chance(0.25);
        _policy = random.Pick(Vocabulary.Policies);
        _jobWord = random.Pick(Vocabulary.JobWords);
        _partner = random.Pick(Vocabulary.PartnerWords);
    }

    /// <summary>"Cardiology.Patients".</summary>
    public string Module { get; }

    public string RegistrationType => _site + _e.Plural + "Module";

    public string AddMethod => "Add" + _site + _e.Plural;

    public string MapMethod => "Map" + _site + _e.Plural;

    public string Namespace => _namespace;

    private string E => _e.Name;

    private string S => _e.StatusEnum;

    private string Route => "api/" + Vocabulary.Kebab(_site) + "/" + Vocabulary.Kebab(_e.Plural);

    private string Snake => Vocabulary.Kebab(E).Replace('-', '_');

    private string Words => Vocabulary.Kebab(E).Replace('-', ' ');

    private string PluralWords => Vocabulary.Kebab(_e.Plural).Replace('-', ' ');

    public IReadOnlyList<CorpusFile> Write()
    {
        WriteModels();
        WriteRepository();
        WriteMappings();
        if (_hasValidator)
        {
            WriteValidator();
        }

        WriteService();
        if (_hasController)
        {
            WriteController();
        }

        if (_hasEndpoints)
        {
            WriteEndpoints();
        }

        if (_hasJob)
        {
            WriteJob();
        }

        if (_hasClient)
        {
            WriteClient();
        }

        if (_hasProtector)
        {
            WriteProtector();
        }

        WriteRegistration();
        return _files;
    }

    private CodeWriter Begin(params string[] usings)
    {
        var w = new CodeWriter();
        foreach (var u in usings.Distinct().OrderBy(u => u.StartsWith("System", StringComparison.Ordinal) ? 0 : 1).ThenBy(u => u, StringComparer.Ordinal))
        {
            w.Line("using " + u + ";");
        }

        w.Line();
        w.Line("namespace " + _namespace + ";");
        w.Line();
        return w;
    }

    private void Add(string relativePath, CodeWriter w) =>
        _files.Add(new CorpusFile(_folder + "/" + relativePath, w.ToString(), Module));

    /// <summary>Decides whether this sink gets a leak (only when one is possible), and counts it.</summary>
    private bool Leak(string rule, bool possible = true)
    {
        if (!possible || !_random.Chance(_leakRate))
        {
            return false;
        }

        _leaks[rule] = _leaks.TryGetValue(rule, out var n) ? n + 1 : 1;
        return true;
    }

    private PropertySpec? PhiText() => _e.PhiText.Any() ? _random.Pick(_e.PhiText.ToList()) : null;

    /// <summary>
    /// A log call in one of the styles teams use: a message template, ILogger.Log with a level, or (less often) an
    /// interpolated string. <paramref name="holes"/> pairs each template hole with the value that fills it.
    /// </summary>
    private void Log(CodeWriter w, string level, string message, params (string Hole, string Value)[] holes) =>
        Log(w, "_logger", level, message, holes);

    private void Log(CodeWriter w, string logger, string level, string message, params (string Hole, string Value)[] holes)
    {
        var template = message;
        foreach (var (hole, _) in holes)
        {
            template = ReplaceFirst(template, "%", "{" + hole + "}");
        }

        var arguments = string.Concat(holes.Select(h => ", " + h.Value));
        var destructures = holes.Any(h => h.Hole.StartsWith("@", StringComparison.Ordinal));
        switch (destructures ? 7 : _random.Next(8))
        {
            case 0:
                w.Line($"{logger}.Log(LogLevel.{level}, \"{template}\"{arguments});");
                break;
            case 1 when holes.Length > 0:
                var interpolated = message;
                foreach (var (_, value) in holes)
                {
                    interpolated = ReplaceFirst(interpolated, "%", "{" + value + "}");
                }

                w.Line($"{logger}.Log{level}($\"{interpolated}\");");
                break;
            case 2 when level is "Debug" or "Trace":
                w.Open($"if ({logger}.IsEnabled(LogLevel.{level}))");
                w.Line($"{logger}.Log{level}(\"{template}\"{arguments});");
                w.Close();
                break;
            default:
                w.Line($"{logger}.Log{level}(\"{template}\"{arguments});");
                break;
        }
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return at < 0 ? text : text.Substring(0, at) + with + text.Substring(at + what.Length);
    }

    private static string Sentence(string words) => char.ToUpperInvariant(words[0]) + words.Substring(1);
}
