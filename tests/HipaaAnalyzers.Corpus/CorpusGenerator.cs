using System;
using System.Collections.Generic;
using System.Linq;

namespace HipaaAnalyzers.Corpus;

/// <summary>How Program.cs wires up one module.</summary>
internal sealed record ModuleRegistration(string Namespace, string Type, string Add, string Map);

/// <summary>
/// Generates a clinic's ASP.NET Core code base of a given size, deterministically from a seed: modules of entities,
/// repositories, services that log, controllers, minimal APIs, jobs, HTTP clients and a little cryptography, with about
/// one PHI leak every few hundred lines.
/// </summary>
public static class CorpusGenerator
{
    /// <summary>The default seed, so every run of the benchmark measures the same code.</summary>
    public const int DefaultSeed = 20251124;

    /// <summary>Per sink that could leak, the chance that it does.</summary>
    public const double DefaultLeakRate = 0.08;

    internal const string CommonModule = "Common";
    internal const string ProgramModule = "Program";

    /// <summary>Generates modules until the corpus has at least <paramref name="targetLines"/> lines.</summary>
    public static GeneratedCorpus Generate(int targetLines, int seed = DefaultSeed, double leakRate = DefaultLeakRate)
    {
        if (targetLines <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetLines), targetLines, "The corpus needs at least one line.");
        }

        var random = new Random(seed);
        var leaks = new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            [ModuleWriter.Rule001] = 0,
            [ModuleWriter.Rule002] = 0,
            [ModuleWriter.Rule003] = 0,
            [ModuleWriter.Rule004] = 0,
        };
        var files = new List<CorpusFile>(CommonFiles());
        var registrations = new List<ModuleRegistration>();
        var lines = files.Sum(f => f.Lines);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var round = 0;

        // Reserve room for Program.cs, which grows by two lines per module.
        while (lines + 12 + (2 * registrations.Count) < targetLines)
        {
            var domain = random.Pick(Vocabulary.Domains);
            var site = random.Pick(Vocabulary.Sites);
            var suffix = round == 0 ? string.Empty : (round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!used.Add(site + suffix + "." + domain.Plural))
            {
                // Each site and domain once per round; rounds add a number to the site ("Cardiology2").
                if (used.Count >= Vocabulary.Sites.Length * Vocabulary.Domains.Length * (round + 1))
                {
                    round++;
                }

                continue;
            }

            // Each module draws from its own stream, so adding a module never changes the ones before it.
            var writer = new ModuleWriter(site + suffix, domain, new Random(random.Next()), leaks, leakRate);
            var written = writer.Write();
            files.AddRange(written);
            lines += written.Sum(f => f.Lines);
            registrations.Add(new ModuleRegistration(writer.Namespace, writer.RegistrationType, writer.AddMethod, writer.MapMethod));
        }

        files.Add(WriteProgram(registrations));
        return new GeneratedCorpus(seed, files, new Dictionary<string, int>(leaks), registrations.Count);
    }

    /// <summary>Program.cs: top-level statements that register and map the given modules.</summary>
    internal static CorpusFile WriteProgram(IReadOnlyList<ModuleRegistration> registrations)
    {
        var w = new CodeWriter();
        w.Line("using System;");
        w.Line("using Contoso.Health.Common;");
        w.Line("using Microsoft.AspNetCore.Builder;");
        w.Line("using Microsoft.Extensions.DependencyInjection;");
        w.Line();
        w.Line("var builder = WebApplication.CreateBuilder(args);");
        w.Line("builder.Services.AddControllers();");
        w.Line("builder.Services.AddAuthorization();");
        w.Line("builder.Services.AddSingleton(TimeProvider.System);");
        w.Line("builder.Services.AddSingleton<INotificationSender, LoggingNotificationSender>();");
        foreach (var r in registrations)
        {
            w.Line($"{r.Namespace}.{r.Type}.{r.Add}(builder.Services);");
        }

        w.Line();
        w.Line("var app = builder.Build();");
        w.Line("app.UseAuthorization();");
        w.Line("app.MapControllers();");
        foreach (var r in registrations)
        {
            w.Line($"{r.Namespace}.{r.Type}.{r.Map}(app);");
        }

        w.Line("app.Run();");
        return new CorpusFile("Program.cs", w.ToString(), ProgramModule);
    }

    private static IEnumerable<CorpusFile> CommonFiles()
    {
        yield return new CorpusFile("Common/DomainValidationException.cs", """
            using System;
            using System.Collections.Generic;

            namespace Contoso.Health.Common;

            /// <summary>A request broke a business rule; <see cref="Errors"/> says which.</summary>
            public sealed class DomainValidationException : Exception
            {
                public DomainValidationException(IReadOnlyList<string> errors)
                    : base("Validation failed: " + string.Join("; ", errors))
                {
                    Errors = errors;
                }

                public IReadOnlyList<string> Errors { get; }
            }

            """, CommonModule);
        yield return new CorpusFile("Common/Paging.cs", """
            using System;
            using System.Collections.Generic;
            using System.Linq;

            namespace Contoso.Health.Common;

            /// <summary>One page of a longer list.</summary>
            public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
            {
                public int PageCount => PageSize == 0 ? 0 : (TotalCount + PageSize - 1) / PageSize;

                public bool HasNext => Page < PageCount;
            }

            /// <summary>Cuts lists into pages.</summary>
            public static class Paging
            {
                public static PagedResult<T> Page<T>(IReadOnlyList<T> items, int page, int pageSize)
                {
                    ArgumentNullException.ThrowIfNull(items);
                    ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
                    page = Math.Max(1, page);
                    var slice = items.Skip((page - 1) * pageSize).Take(pageSize).ToList();
                    return new PagedResult<T>(slice, page, pageSize, items.Count);
                }
            }

            """, CommonModule);
        yield return new CorpusFile("Common/Telemetry.cs", """
            using System.Diagnostics;
            using System.Diagnostics.Metrics;

            namespace Contoso.Health.Common;

            /// <summary>The app's trace source and meter.</summary>
            public static class Telemetry
            {
                public static readonly ActivitySource Source = new("Contoso.Health");

                public static readonly Meter Meter = new("Contoso.Health");
            }

            """, CommonModule);
        yield return new CorpusFile("Common/Notifications.cs", """
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Logging;

            namespace Contoso.Health.Common;

            /// <summary>Sends a message to a person by e-mail.</summary>
            public interface INotificationSender
            {
                Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken);
            }

            /// <summary>Writes what it would send to the log, for development.</summary>
            public sealed class LoggingNotificationSender : INotificationSender
            {
                private readonly ILogger<LoggingNotificationSender> _logger;

                public LoggingNotificationSender(ILogger<LoggingNotificationSender> logger) => _logger = logger;

                public Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken)
                {
                    _logger.LogInformation("Would send {Subject} ({Length} characters)", subject, body.Length);
                    return Task.CompletedTask;
                }
            }

            """, CommonModule);
    }
}
