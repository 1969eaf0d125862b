using System.Linq;

namespace HipaaAnalyzers.Corpus;

internal sealed partial class ModuleWriter
{
    private void WriteModels()
    {
        var w = Begin("System", "System.Collections.Generic", "System.ComponentModel.DataAnnotations", "HipaaAnalyzers.Runtime");
        w.Line($"/// <summary>{Sentence(Words)} record as the {_site} service line stores it.</summary>");
        if (_e.TypeTagged)
        {
            w.Line("[Phi]");
        }

        w.Open($"public sealed class {E}");
        var notPhi = _e.TypeTagged ? "[NotPhi] " : string.Empty;
        w.Line("[Key]");
        w.Line($"{notPhi}public int Id {{ get; set; }}");
        w.Line();
        if (_e.HasPatientId)
        {
            w.Line($"{notPhi}public int PatientId {{ get; set; }}");
            w.Line();
        }

        foreach (var property in _e.Properties)
        {
            if (property.Tagged)
            {
                w.Line("[Phi]");
            }

            if (property.Value == ValueKind.Text && _random.Chance(0.4))
            {
                w.Line("[Required]");
            }

            if (property.IsText && _random.Chance(0.35))
            {
                w.Line($"[MaxLength({_random.Pick(new[] { 32, 64, 128, 256 })})]");
            }

            w.Line($"public {property.Type} {property.Name} {{ get; set; }}{property.Initializer}");
            w.Line();
        }

        w.Line($"{notPhi}public {S} Status {{ get; set; }}");
        w.Line();
        w.Line($"{notPhi}public DateTimeOffset CreatedAt {{ get; set; }}");
        w.Line();
        w.Line($"{notPhi}public DateTimeOffset? UpdatedAt {{ get; set; }}");
        if (_e.HasToString)
        {
            w.Line();
            var names = _e.Properties.Where(p => p.Name is "FirstName" or "LastName").Select(p => "{" + p.Name + "}").ToList();
            if (_e.ToStringLeaks && names.Count > 0)
            {
                w.Line($"public override string ToString() => $\"{string.Join(" ", names)}\";");
            }
            else
            {
                w.Line($"public override string ToString() => $\"{E} {{Id}} ({{Status}})\";");
            }
        }

        w.Close();
        w.Line();
        w.Line($"/// <summary>Where a {Words} is in its lifecycle.</summary>");
        w.Open($"public enum {S}");
        foreach (var status in _e.Statuses)
        {
            w.Line(status + ",");
        }

        w.Close();
        w.Line();

        var summary = string.Join(", ", new[] { "int Id", S + " Status" }
            .Concat(_e.Summary.Select(p => (_e.SummaryTagged(p) ? "[Phi] " : string.Empty) + p.Type + " " + p.Name)));
        w.Line($"/// <summary>What the API returns for a {Words}.</summary>");
        w.Line($"public sealed record {E}Summary({summary});");
        w.Line();

        var request = string.Join(", ", (_e.HasPatientId ? new[] { "int PatientId" } : new string[0])
            .Concat(_e.Request.Select(p => (p.Value == ValueKind.TextList ? "IReadOnlyList<string>" : p.Type) + " " + p.Name)));
        w.Line($"/// <summary>The form that creates a {Words}.</summary>");
        w.Line($"public sealed record Create{E}Request({request});");
        Add("Models/" + E + ".cs", w);
    }

    private void WriteRepository()
    {
        var w = Begin("System", "System.Collections.Generic", "System.Linq", "System.Threading", "System.Threading.Tasks");
        var concurrent = _random.Chance(0.6);
        if (concurrent)
        {
            w = Begin("System", "System.Collections.Concurrent", "System.Collections.Generic", "System.Linq", "System.Threading", "System.Threading.Tasks");
        }

        w.Line($"/// <summary>Stores {PluralWords}; a deployment swaps this for the database-backed store.</summary>");
        w.Open($"public sealed class {E}Repository");
        if (concurrent)
        {
            w.Line($"private readonly ConcurrentDictionary<int, {E}> _items = new();");
            w.Line("private int _lastId;");
            w.Line();
            w.Line("public int Count => _items.Count;");
            w.Line();
            w.Line($"public {E}? Find(int id) => _items.TryGetValue(id, out var item) ? item : null;");
            w.Line();
            w.Line($"public IReadOnlyCollection<{E}> All() => _items.Values.ToList();");
            w.Line();
            w.Open($"public {E} Add({E} item)");
            w.Line("item.Id = Interlocked.Increment(ref _lastId);");
            w.Line("_items[item.Id] = item;");
            w.Line("return item;");
            w.Close();
            w.Line();
            w.Line("public bool Remove(int id) => _items.TryRemove(id, out _);");
        }
        else
        {
            w.Line($"private readonly List<{E}> _items = new();");
            w.Line("private readonly object _gate = new();");
            w.Line("private int _lastId;");
            w.Line();
            w.Open("public int Count");
            w.Open("get");
            w.Open("lock (_gate)");
            w.Line("return _items.Count;");
            w.Close();
            w.Close();
            w.Close();
            w.Line();
            w.Open($"public {E}? Find(int id)");
            w.Open("lock (_gate)");
            w.Line("return _items.Find(x => x.Id == id);");
            w.Close();
            w.Close();
            w.Line();
            w.Open($"public IReadOnlyCollection<{E}> All()");
            w.Open("lock (_gate)");
            w.Line("return _items.ToArray();");
            w.Close();
            w.Close();
            w.Line();
            w.Open($"public {E} Add({E} item)");
            w.Open("lock (_gate)");
            w.Line("item.Id = ++_lastId;");
            w.Line("_items.Add(item);");
            w.Line("return item;");
            w.Close();
            w.Close();
            w.Line();
            w.Open("public bool Remove(int id)");
            w.Open("lock (_gate)");
            w.Line("return _items.RemoveAll(x => x.Id == id) > 0;");
            w.Close();
            w.Close();
        }

        w.Line();
        w.Open($"public Task<{E}?> FindAsync(int id, CancellationToken cancellationToken)");
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Line("return Task.FromResult(Find(id));");
        w.Close();
        w.Line();
        w.Line("public Task SaveChangesAsync(CancellationToken cancellationToken) => Task.CompletedTask;");
        if (_e.HasPatientId)
        {
            w.Line();
            w.Line($"public IReadOnlyList<{E}> ForPatient(int patientId) =>");
            w.Indent().Line("All().Where(x => x.PatientId == patientId).OrderByDescending(x => x.CreatedAt).ToList();").Outdent();
        }

        if (_random.Chance(0.5))
        {
            w.Line();
            w.Line($"public IReadOnlyList<{E}> WithStatus({S} status) => All().Where(x => x.Status == status).ToList();");
        }

        if (_random.Chance(0.4))
        {
            w.Line();
            w.Open($"public IReadOnlyList<{E}> CreatedBetween(DateTimeOffset from, DateTimeOffset to)");
            w.Open("if (to < from)");
            w.Line("throw new ArgumentException(\"The end of the range is before its start.\", nameof(to));");
            w.Close();
            w.Line();
            w.Line("return All().Where(x => x.CreatedAt >= from && x.CreatedAt < to).OrderBy(x => x.CreatedAt).ToList();");
            w.Close();
        }

        w.Close();
        Add("Data/" + E + "Repository.cs", w);
    }

    private void WriteMappings()
    {
        var w = Begin("System", "System.Globalization", "System.Linq");
        w.Line($"/// <summary>Conversions between {Words} entities and the API's records.</summary>");
        w.Open($"public static class {E}Mappings");
        var summary = string.Join(", ", new[] { "item.Id", "item.Status" }.Concat(_e.Summary.Select(p => "item." + p.Name)));
        w.Line($"public static {E}Summary ToSummary(this {E} item) => new({summary});");
        w.Line();
        w.Open($"public static {E} ToEntity(this Create{E}Request request, DateTimeOffset now)");
        w.Line("ArgumentNullException.ThrowIfNull(request);");
        w.Line($"return new {E}");
        w.Line("{");
        w.Indent();
        if (_e.HasPatientId)
        {
            w.Line("PatientId = request.PatientId,");
        }

        foreach (var property in _e.Request)
        {
            var value = property.Value switch
            {
                ValueKind.TextList => "request." + property.Name + ".ToList()",
                ValueKind.Text => "request." + property.Name + ".Trim()",
                _ => "request." + property.Name,
            };
            w.Line($"{property.Name} = {value},");
        }

        w.Line($"Status = {S}.{_e.Statuses[0]},");
        w.Line("CreatedAt = now,");
        w.Outdent();
        w.Line("};");
        w.Close();
        if (_random.Chance(0.5))
        {
            w.Line();
            w.Line($"public static string ToCsvRow(this {E} item) =>");
            w.Indent().Line("string.Join(',', item.Id.ToString(CultureInfo.InvariantCulture), item.Status.ToString(), item.CreatedAt.ToString(\"O\", CultureInfo.InvariantCulture));").Outdent();
        }

        w.Close();
        Add("Mapping/" + E + "Mappings.cs", w);
    }

    private void WriteValidator()
    {
        var w = Begin("System", "System.Collections.Generic");
        w.Line($"/// <summary>Checks a new {Words} before it is stored.</summary>");
        w.Open($"public static class {E}Validator");
        w.Open($"public static IReadOnlyList<string> Validate(Create{E}Request request)");
        w.Line("var errors = new List<string>();");
        if (_e.HasPatientId)
        {
            w.Open("if (request.PatientId <= 0)");
            w.Line("errors.Add(\"A patient is required.\");");
            w.Close();
            w.Line();
        }

        foreach (var property in _e.Request.Take(_random.Next(2, 5)))
        {
            switch (property.Value)
            {
                case ValueKind.Text:
                    w.Open($"if (string.IsNullOrWhiteSpace(request.{property.Name}))");
                    w.Line($"errors.Add(\"{property.Name} is required.\");");
                    w.Close();
                    if (_random.Chance(0.4))
                    {
                        w.Open($"else if (request.{property.Name}.Length > {_random.Pick(new[] { 64, 128, 256 })})");
                        w.Line($"errors.Add(\"{property.Name} is too long.\");");
                        w.Close();
                    }

                    break;
                case ValueKind.Integer:
                    w.Open($"if (request.{property.Name} < 0)");
                    w.Line($"errors.Add(\"{property.Name} cannot be negative.\");");
                    w.Close();
                    break;
                case ValueKind.Money:
                    w.Open($"if (request.{property.Name} is < 0m or > 1_000_000m)");
                    w.Line($"errors.Add(\"{property.Name} is out of range.\");");
                    w.Close();
                    break;
                case ValueKind.Date:
                    w.Open($"if (request.{property.Name} > DateOnly.FromDateTime(DateTime.UtcNow))");
                    w.Line($"errors.Add(\"{property.Name} cannot be in the future.\");");
                    w.Close();
                    break;
                case ValueKind.Timestamp:
                    w.Open($"if (request.{property.Name} == default)");
                    w.Line($"errors.Add(\"{property.Name} is required.\");");
                    w.Close();
                    break;
                default:
                    continue;
            }

            w.Line();
        }

        w.Line("return errors;");
        w.Close();
        w.Close();
        Add("Validation/" + E + "Validator.cs", w);
    }
}
