using System.Collections.Generic;
using System.Linq;

namespace HipaaAnalyzers.Corpus;

internal sealed partial class ModuleWriter
{
    private void WriteService()
    {
        var usings = new List<string>
        {
            "System", "System.Collections.Generic", "System.Diagnostics", "System.Globalization", "System.Linq", "System.Threading",
            "System.Threading.Tasks", "Contoso.Health.Common", "Microsoft.Extensions.Logging", "Microsoft.Extensions.Options",
            "HipaaAnalyzers.Runtime",
        };
        if (_hasCounter)
        {
            usings.Add("System.Diagnostics.Metrics");
        }

        if (_hasDescribe)
        {
            usings.Add("System.Text");
        }

        if (_hasExport)
        {
            usings.Add("System.Text.Json");
        }

        if (_hasStream)
        {
            usings.Add("System.Runtime.CompilerServices");
        }

        var w = Begin(usings.ToArray());
        w.Line($"/// <summary>Settings of the {PluralWords} service.</summary>");
        w.Open($"public sealed class {E}Options");
        w.Line($"public int MaxPageSize {{ get; set; }} = {_random.Pick(new[] { 50, 100, 200, 500 })};");
        w.Line();
        w.Line($"public TimeSpan RetentionPeriod {{ get; set; }} = TimeSpan.FromDays({_random.Pick(new[] { 30, 90, 365, 2555 })});");
        w.Close();
        w.Line();
        w.Line($"/// <summary>Business rules for {PluralWords}.</summary>");
        w.Open($"public sealed class {E}Service");
        if (_useLoggerMessageDefine)
        {
            w.Line($"private static readonly Action<ILogger, int, Exception?> LogLoaded =");
            w.Indent().Line($"LoggerMessage.Define<int>(LogLevel.Information, new EventId({_random.Next(1000, 9999)}, \"{E}Loaded\"), \"Loaded {Words} {{{E}Id}}\");").Outdent();
            w.Line();
        }

        if (_hasCounter)
        {
            w.Line($"private static readonly Counter<int> Created = Telemetry.Meter.CreateCounter<int>(\"contoso.{Snake}.created\");");
            w.Line();
        }

        if (_hasExport)
        {
            w.Line("private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);");
            w.Line();
        }

        w.Line($"private readonly {E}Repository _repository;");
        w.Line($"private readonly ILogger<{E}Service> _logger;");
        w.Line("private readonly TimeProvider _clock;");
        w.Line($"private readonly IOptions<{E}Options> _options;");
        if (_hasNotify)
        {
            w.Line("private readonly INotificationSender _notifications;");
        }

        w.Line();
        var parameters = $"{E}Repository repository, ILogger<{E}Service> logger, TimeProvider clock, IOptions<{E}Options> options";
        if (_hasNotify)
        {
            parameters += ", INotificationSender notifications";
        }

        w.Open($"public {E}Service({parameters})");
        w.Line("_repository = repository;");
        w.Line("_logger = logger;");
        w.Line("_clock = clock;");
        w.Line("_options = options;");
        if (_hasNotify)
        {
            w.Line("_notifications = notifications;");
        }

        w.Close();

        var methods = new List<System.Action<CodeWriter>> { WriteGet, WriteCreate };
        if (_hasUpdateStatus)
        {
            methods.Add(WriteUpdateStatus);
        }

        if (_hasSearch)
        {
            methods.Add(WriteSearch);
        }

        if (_hasCounts)
        {
            methods.Add(WriteCounts);
        }

        if (_hasExport)
        {
            methods.Add(WriteExport);
        }

        if (_hasDescribe)
        {
            methods.Add(WriteDescribe);
        }

        if (_hasBatch)
        {
            methods.Add(WriteBatch);
        }

        if (_hasArchive)
        {
            methods.Add(WriteArchive);
        }

        if (_hasClassify)
        {
            methods.Add(WriteClassify);
        }

        if (_hasStream)
        {
            methods.Add(WriteStream);
        }

        if (_hasReconcile)
        {
            methods.Add(WriteReconcile);
        }

        if (_hasNotify)
        {
            methods.Add(WriteNotify);
        }

        if (_hasRetry)
        {
            methods.Add(WriteRetry);
        }

        // Get and Create first, the rest in an order of the module's own.
        var rest = methods.Skip(2).OrderBy(_ => _random.Next()).ToList();
        foreach (var method in methods.Take(2).Concat(rest))
        {
            w.Line();
            method(w);
        }

        w.Close();
        Add("Services/" + E + "Service.cs", w);
    }

    private void WriteGet(CodeWriter w)
    {
        w.Open($"public async Task<{E}?> GetAsync(int id, CancellationToken cancellationToken)");
        w.Line("var item = await _repository.FindAsync(id, cancellationToken).ConfigureAwait(false);");
        w.Open("if (item is null)");
        Log(w, "Debug", Sentence(Words) + " % was not found", (E + "Id", "id"));
        w.Line("return null;");
        w.Close();
        w.Line();
        var phi = PhiText();
        if (Leak(Rule001, phi is not null))
        {
            Log(w, "Information", $"{_random.Pick(Vocabulary.Verbs)} {Words} % for %", (E + "Id", "item.Id"), (phi!.Name, "item." + phi.Name));
        }
        else if (_useLoggerMessageDefine)
        {
            w.Line("LogLoaded(_logger, item.Id, null);");
        }
        else if (phi is not null && _random.Chance(0.15))
        {
            var sanitizer = _random.Chance(0.5) ? "Phi.Redact" : "Phi.Pseudonymize";
            Log(w, "Information", $"{_random.Pick(Vocabulary.Verbs)} {Words} % for %", (E + "Id", "item.Id"), (phi.Name, $"{sanitizer}(item.{phi.Name})"));
        }
        else
        {
            Log(w, "Information", $"{_random.Pick(Vocabulary.Verbs)} {Words} % ({_random.Pick(new[] { "status", "state" })} %)", (E + "Id", "item.Id"), ("Status", "item.Status"));
        }

        w.Line("return item;");
        w.Close();
    }

    private void WriteCreate(CodeWriter w)
    {
        w.Open($"public async Task<{E}> CreateAsync(Create{E}Request request, CancellationToken cancellationToken)");
        w.Line("ArgumentNullException.ThrowIfNull(request);");
        if (_hasValidator)
        {
            w.Line($"var errors = {E}Validator.Validate(request);");
        }
        else
        {
            w.Line("var errors = new List<string>();");
            foreach (var property in _e.Request.Where(p => p.Value == ValueKind.Text).Take(2))
            {
                w.Open($"if (string.IsNullOrWhiteSpace(request.{property.Name}))");
                w.Line($"errors.Add(\"{property.Name} is required.\");");
                w.Close();
            }
        }

        w.Line();
        w.Open("if (errors.Count > 0)");
        Log(w, "Warning", $"Rejected a new {Words}: % validation errors", ("ErrorCount", "errors.Count"));
        w.Line("throw new DomainValidationException(errors);");
        w.Close();
        w.Line();
        w.Line($"using var activity = Telemetry.Source.StartActivity(\"{Vocabulary.Kebab(E)}.create\");");
        w.Line("var item = request.ToEntity(_clock.GetUtcNow());");
        w.Line("_repository.Add(item);");
        w.Line("await _repository.SaveChangesAsync(cancellationToken).ConfigureAwait(false);");
        w.Line($"activity?.SetTag(\"{Snake}.id\", item.Id);");
        var phi = PhiText();
        if (Leak(Rule004, phi is not null))
        {
            w.Line($"activity?.SetTag(\"{Snake}.{Vocabulary.Kebab(phi!.Name).Replace('-', '_')}\", item.{phi.Name});");
        }

        if (_hasCounter)
        {
            w.Line($"Created.Add(1, new KeyValuePair<string, object?>(\"status\", item.Status.ToString()));");
        }

        if (Leak(Rule002, _e.CarriesPhi))
        {
            Log(w, "Information", $"Created {Words} %", ("@" + E, "item"));
        }
        else if (_e.HasPatientId && _random.Chance(0.5))
        {
            Log(w, "Information", $"Created {Words} % for patient %", (E + "Id", "item.Id"), ("PatientId", "item.PatientId"));
        }
        else
        {
            Log(w, "Information", $"Created {Words} %", (E + "Id", "item.Id"));
        }

        w.Line("return item;");
        w.Close();
    }

    private void WriteUpdateStatus(CodeWriter w)
    {
        var s = _e.Statuses;
        w.Open($"public async Task<{E}> UpdateStatusAsync(int id, {S} status, CancellationToken cancellationToken)");
        w.Line("var item = await _repository.FindAsync(id, cancellationToken).ConfigureAwait(false)");
        w.Indent().Line($"?? throw new KeyNotFoundException($\"{Sentence(Words)} {{id}} was not found.\");").Outdent();
        w.Line("var allowed = (item.Status, status) switch");
        w.Line("{");
        w.Indent();
        for (var i = 0; i + 1 < s.Length - 1; i++)
        {
            w.Line($"({S}.{s[i]}, {S}.{s[i + 1]}) => true,");
        }

        w.Line($"(_, {S}.{s[s.Length - 1]}) => item.Status != {S}.{s[s.Length - 1]},");
        w.Line("_ => false,");
        w.Outdent();
        w.Line("};");
        w.Line();
        w.Open("if (!allowed)");
        var phi = PhiText();
        if (Leak(Rule003, phi is not null))
        {
            w.Line($"throw new InvalidOperationException($\"Cannot move the {Words} of {{item.{phi!.Name}}} from {{item.Status}} to {{status}}.\");");
        }
        else
        {
            w.Line($"throw new InvalidOperationException($\"Cannot move {Words} {{item.Id}} from {{item.Status}} to {{status}}.\");");
        }

        w.Close();
        w.Line();
        w.Line("var previous = item.Status;");
        w.Line("item.Status = status;");
        w.Line("item.UpdatedAt = _clock.GetUtcNow();");
        w.Line("await _repository.SaveChangesAsync(cancellationToken).ConfigureAwait(false);");
        Log(w, "Information", Sentence(Words) + " % moved from % to %", (E + "Id", "item.Id"), ("Previous", "previous"), ("Status", "status"));
        w.Line("return item;");
        w.Close();
    }

    private void WriteSearch(CodeWriter w)
    {
        var text = _e.Properties.Where(p => p.IsText).ToList();
        var searched = text.Count > 0 ? _random.Pick(text) : null;
        var canLeak = searched is not null && (searched.Phi == PhiKind.Strong || searched.Phi == PhiKind.Weak && _e.Kind == EntityKind.Person);
        var term = canLeak ? searched!.Camel : "term";
        w.Open($"public PagedResult<{E}Summary> Search(string? {term}, int page = 1, int pageSize = 25)");
        w.Line("pageSize = Math.Clamp(pageSize, 1, _options.Value.MaxPageSize);");
        w.Line($"IEnumerable<{E}> query = _repository.All();");
        if (searched is not null)
        {
            w.Open($"if (!string.IsNullOrWhiteSpace({term}))");
            w.Line($"query = query.Where(x => {searched.TextOf("x")}.Contains({term}, StringComparison.OrdinalIgnoreCase));");
            w.Close();
        }

        w.Line();
        w.Line("var matches = query");
        w.Indent();
        w.Line(_random.Chance(0.5) ? ".OrderByDescending(x => x.CreatedAt)" : ".OrderBy(x => x.Status)");
        w.Line(".ThenBy(x => x.Id)");
        w.Line(".Select(x => x.ToSummary())");
        w.Line(".ToList();");
        w.Outdent();
        if (Leak(Rule001, canLeak))
        {
            Log(w, "Information", "Search for % matched % records", (searched!.Name, term), ("Count", "matches.Count"));
        }
        else
        {
            Log(w, "Debug", $"Search matched % {PluralWords}", ("Count", "matches.Count"));
        }

        w.Line("return Paging.Page(matches, page, pageSize);");
        w.Close();
    }

    private void WriteCounts(CodeWriter w)
    {
        w.Open($"public IReadOnlyDictionary<{S}, int> CountByStatus()");
        w.Line("var counts = _repository.All()");
        w.Indent().Line(".GroupBy(x => x.Status)").Line(".ToDictionary(g => g.Key, g => g.Count());").Outdent();
        w.Open("foreach (var (status, count) in counts)");
        Log(w, "Trace", "% %: %", ("Entity", "nameof(" + E + ")"), ("Status", "status"), ("Count", "count"));
        w.Close();
        w.Line();
        w.Line("return counts;");
        w.Close();
    }

    private void WriteExport(CodeWriter w)
    {
        w.Open("public string? Export(int id)");
        w.Line("var item = _repository.Find(id);");
        w.Open("if (item is null)");
        w.Line("return null;");
        w.Close();
        w.Line();
        w.Line("var json = JsonSerializer.Serialize(item.ToSummary(), JsonOptions);");
        if (Leak(Rule002, _e.CarriesPhi))
        {
            w.Line($"_logger.LogDebug(\"Exported {{Payload}}\", JsonSerializer.Serialize(item, JsonOptions));");
        }
        else
        {
            Log(w, "Debug", $"Exported {Words} % (% characters)", (E + "Id", "item.Id"), ("Length", "json.Length"));
        }

        w.Line("return json;");
        w.Close();
    }

    private void WriteDescribe(CodeWriter w)
    {
        var phi = PhiText();
        var leak = Leak(Rule001, phi is not null);
        w.Line($"public void Trace({E} item) => _logger.LogTrace(\"{{Description}}\", Describe(item));");
        w.Line();
        w.Open($"public string Describe({E} item)");
        w.Line("var builder = new StringBuilder();");
        w.Line($"builder.Append(\"{Sentence(Words)} \").Append(item.Id.ToString(CultureInfo.InvariantCulture));");
        w.Line("builder.Append(\" [\").Append(item.Status).Append(']');");
        if (leak)
        {
            w.Line($"builder.Append(\", \").Append(item.{phi!.Name});");
        }

        w.Open("if (item.UpdatedAt is { } updated)");
        w.Line("builder.Append(\", updated \").Append(updated.ToString(\"u\", CultureInfo.InvariantCulture));");
        w.Close();
        w.Line();
        w.Line("return builder.ToString();");
        w.Close();
    }

    private void WriteBatch(CodeWriter w)
    {
        w.Open("public async Task<(int Processed, int Failed)> ProcessBatchAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)");
        w.Line("var processed = 0;");
        w.Line("var failed = 0;");
        w.Open("foreach (var id in ids)");
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Open("try");
        w.Line("var item = await _repository.FindAsync(id, cancellationToken).ConfigureAwait(false);");
        w.Open("if (item is null)");
        w.Line("failed++;");
        w.Line("continue;");
        w.Close();
        w.Line();
        w.Line("item.UpdatedAt = _clock.GetUtcNow();");
        w.Line("processed++;");
        w.Close();
        w.Open("catch (InvalidOperationException ex)");
        w.Line("failed++;");
        w.Line($"_logger.LogWarning(ex, \"Processing {Words} {{{E}Id}} failed\", id);");
        w.Close();
        w.Close();
        w.Line();
        w.Line("await _repository.SaveChangesAsync(cancellationToken).ConfigureAwait(false);");
        w.Line($"var outcome = failed == 0 ? \"{_random.Pick(Vocabulary.Outcomes)}\" : \"completed with errors\";");
        Log(w, "Information", "Batch %: % processed, % failed", ("Outcome", "outcome"), ("Processed", "processed"), ("Failed", "failed"));
        w.Line("return (processed, failed);");
        w.Close();
    }

    private void WriteArchive(CodeWriter w)
    {
        var s = _e.Statuses;
        w.Open("public int ArchiveStale()");
        w.Line("var cutoff = _clock.GetUtcNow() - _options.Value.RetentionPeriod;");
        w.Line("var stale = _repository.All()");
        w.Indent();
        w.Line($".Where(x => x.CreatedAt < cutoff && x.Status is {S}.{s[s.Length - 1]} or {S}.{s[s.Length - 2]})");
        w.Line(".Select(x => x.Id)");
        w.Line(".ToList();");
        w.Outdent();
        w.Open("foreach (var id in stale)");
        w.Line("_repository.Remove(id);");
        w.Close();
        w.Line();
        w.Open("if (stale.Count > 0)");
        Log(w, "Information", $"Archived % stale {PluralWords}", ("Count", "stale.Count"));
        w.Close();
        w.Line();
        w.Line("return stale.Count;");
        w.Close();
    }

    private void WriteClassify(CodeWriter w)
    {
        var number = _e.Number;
        if (number is not null && !_e.TypeTagged)
        {
            var m = number.Value == ValueKind.Money ? "m" : string.Empty;
            w.Line($"public static string Classify({E} item) => item.{number.Name} switch");
            w.Line("{");
            w.Indent();
            w.Line($"<= 0{m} => \"none\",");
            w.Line($"< {_random.Pick(new[] { 5, 10, 20 })}{m} => \"low\",");
            w.Line($"< {_random.Pick(new[] { 100, 250, 1000 })}{m} => \"medium\",");
            w.Line("_ => \"high\",");
            w.Outdent();
            w.Line("};");
        }
        else
        {
            w.Open($"public string Classify({E} item)");
            w.Line("var age = _clock.GetUtcNow() - item.CreatedAt;");
            w.Line("return age.TotalDays switch");
            w.Line("{");
            w.Indent();
            w.Line("< 1 => \"new\",");
            w.Line("< 30 => \"recent\",");
            w.Line("< 365 => \"established\",");
            w.Line("_ => \"historic\",");
            w.Outdent();
            w.Line("};");
            w.Close();
        }
    }

    private void WriteStream(CodeWriter w)
    {
        w.Open($"public async IAsyncEnumerable<{E}Summary> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)");
        w.Open("foreach (var item in _repository.All())");
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Line("yield return item.ToSummary();");
        w.Line("await Task.Yield();");
        w.Close();
        w.Close();
    }

    private void WriteReconcile(CodeWriter w)
    {
        var compared = _e.Properties.Where(p => p.Value != ValueKind.TextList).Take(2).ToList();
        w.Open($"public (int Added, int Changed) Reconcile(IEnumerable<{E}> incoming)");
        w.Line("var added = 0;");
        w.Line("var changed = 0;");
        w.Open("foreach (var candidate in incoming)");
        w.Line("var existing = _repository.Find(candidate.Id);");
        w.Open("if (existing is null)");
        w.Line("_repository.Add(candidate);");
        w.Line("added++;");
        w.Close();
        w.Open("else if (IsDifferent(existing, candidate))");
        w.Line("Copy(candidate, existing);");
        w.Line("changed++;");
        w.Close();
        w.Close();
        w.Line();
        Log(w, "Information", $"Reconciled {PluralWords}: % added, % changed", ("Added", "added"), ("Changed", "changed"));
        w.Line("return (added, changed);");
        w.Line();
        var difference = string.Join(" || ", new[] { "a.Status != b.Status" }.Concat(compared.Select(p => $"a.{p.Name} != b.{p.Name}")));
        w.Line($"static bool IsDifferent({E} a, {E} b) => {difference};");
        w.Line();
        w.Open($"static void Copy({E} from, {E} to)");
        w.Line("to.Status = from.Status;");
        foreach (var property in compared)
        {
            w.Line($"to.{property.Name} = from.{property.Name};");
        }

        w.Line("to.UpdatedAt = from.UpdatedAt;");
        w.Close();
        w.Close();
    }

    private void WriteNotify(CodeWriter w)
    {
        var greeting = _e.Properties.Any(p => p.Name == "FirstName") ? "{item.FirstName}" : "patient";
        w.Open("public async Task<bool> NotifyAsync(int id, string subject, CancellationToken cancellationToken)");
        w.Line("var item = _repository.Find(id);");
        w.Open("if (item is null || string.IsNullOrEmpty(item.Email))");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line($"var body = $\"Dear {greeting}, you have a new message from the {_site} team.\";");
        w.Line("await _notifications.SendAsync(item.Email, subject, body, cancellationToken).ConfigureAwait(false);");
        if (Leak(Rule001))
        {
            Log(w, "Information", "Notification % sent to %", ("Subject", "subject"), ("Email", "item.Email"));
        }
        else
        {
            Log(w, "Information", $"Notification % sent to {Words} %", ("Subject", "subject"), (E + "Id", "item.Id"));
        }

        w.Line("return true;");
        w.Close();
    }

    private void WriteRetry(CodeWriter w)
    {
        w.Line($"public Task<{E}?> RefreshAsync(int id, CancellationToken cancellationToken) =>");
        w.Indent().Line("WithRetryAsync(ct => _repository.FindAsync(id, ct), cancellationToken);").Outdent();
        w.Line();
        w.Open("private async Task<T> WithRetryAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)");
        w.Open("for (var attempt = 1; ; attempt++)");
        w.Open("try");
        w.Line("return await action(cancellationToken).ConfigureAwait(false);");
        w.Close();
        w.Open($"catch (TimeoutException ex) when (attempt < {_random.Next(3, 6)})");
        w.Line("var delay = TimeSpan.FromMilliseconds((100 * Math.Pow(2, attempt)) + Random.Shared.Next(0, 50));");
        w.Line("_logger.LogWarning(ex, \"Attempt {Attempt} timed out; retrying in {Delay}\", attempt, delay);");
        w.Line("await Task.Delay(delay, cancellationToken).ConfigureAwait(false);");
        w.Close();
        w.Close();
        w.Close();
    }
}
