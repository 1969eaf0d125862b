using System.Linq;

namespace HipaaAnalyzers.Corpus;

internal sealed partial class ModuleWriter
{
    private void WriteController()
    {
        var w = Begin(
            "System", "System.Collections.Generic", "System.Threading", "System.Threading.Tasks", "Contoso.Health.Common",
            "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.Mvc", "Microsoft.Extensions.Logging");
        w.Line($"/// <summary>The {PluralWords} API of the {_site} service line.</summary>");
        w.Line("[ApiController]");
        w.Line($"[Route(\"{Route}\")]");
        if (_random.Chance(0.8))
        {
            w.Line($"[Authorize(Policy = \"{_policy}\")]");
        }

        var controller = _e.Plural + "Controller";
        w.Open($"public sealed class {controller} : ControllerBase");
        w.Line($"private readonly {E}Service _service;");
        w.Line($"private readonly ILogger<{controller}> _logger;");
        w.Line();
        w.Open($"public {controller}({E}Service service, ILogger<{controller}> logger)");
        w.Line("_service = service;");
        w.Line("_logger = logger;");
        w.Close();
        w.Line();
        w.Line("[HttpGet(\"{id:int}\")]");
        w.Open($"public async Task<ActionResult<{E}Summary>> GetAsync(int id, CancellationToken cancellationToken)");
        w.Line("var item = await _service.GetAsync(id, cancellationToken);");
        if (_random.Chance(0.5))
        {
            w.Line("return item is null ? NotFound() : Ok(item.ToSummary());");
        }
        else
        {
            w.Open("if (item is null)");
            w.Line("return NotFound();");
            w.Close();
            w.Line();
            w.Line("return item.ToSummary();");
        }

        w.Close();
        if (_hasSearch)
        {
            w.Line();
            w.Line("[HttpGet]");
            w.Line($"public ActionResult<PagedResult<{E}Summary>> Search([FromQuery] string? q, [FromQuery] int page = 1, [FromQuery] int pageSize = 25) =>");
            w.Indent().Line("Ok(_service.Search(q, page, pageSize));").Outdent();
        }

        w.Line();
        w.Line("[HttpPost]");
        w.Open($"public async Task<ActionResult<{E}Summary>> CreateAsync([FromBody] Create{E}Request request, CancellationToken cancellationToken)");
        w.Open("try");
        w.Line("var created = await _service.CreateAsync(request, cancellationToken);");
        w.Line("return CreatedAtAction(nameof(GetAsync), new { id = created.Id }, created.ToSummary());");
        w.Close();
        w.Open("catch (DomainValidationException ex)");
        w.Open("foreach (var error in ex.Errors)");
        w.Line("ModelState.AddModelError(string.Empty, error);");
        w.Close();
        w.Line();
        w.Line("return ValidationProblem(ModelState);");
        w.Close();
        w.Close();
        if (_hasUpdateStatus)
        {
            w.Line();
            w.Line("[HttpPut(\"{id:int}/status\")]");
            w.Open($"public async Task<IActionResult> SetStatusAsync(int id, [FromBody] {S} status, CancellationToken cancellationToken)");
            w.Open("try");
            w.Line("await _service.UpdateStatusAsync(id, status, cancellationToken);");
            w.Line("return NoContent();");
            w.Close();
            w.Open("catch (KeyNotFoundException)");
            w.Line("return NotFound();");
            w.Close();
            w.Open("catch (InvalidOperationException ex)");
            w.Line($"_logger.LogWarning(ex, \"Status change refused for {Words} {{{E}Id}}\", id);");
            w.Line("return Conflict(new ProblemDetails { Title = \"Status change refused\", Detail = ex.Message });");
            w.Close();
            w.Close();
        }

        if (_hasCounts)
        {
            w.Line();
            w.Line("[HttpGet(\"statistics\")]");
            w.Line($"public ActionResult<IReadOnlyDictionary<{S}, int>> Statistics() => Ok(_service.CountByStatus());");
        }

        if (_hasExport)
        {
            w.Line();
            w.Line("[HttpGet(\"{id:int}/export\")]");
            w.Open("public IActionResult Export(int id)");
            w.Line("var json = _service.Export(id);");
            w.Line("return json is null ? NotFound() : Content(json, \"application/json\");");
            w.Close();
        }

        w.Close();
        Add("Api/" + controller + ".cs", w);
    }

    private void WriteEndpoints()
    {
        var w = Begin(
            "System", "System.Linq", "System.Threading", "System.Threading.Tasks", "Contoso.Health.Common", "Microsoft.AspNetCore.Builder",
            "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Http.HttpResults", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Logging");
        var route = "/" + Vocabulary.Kebab(_site) + "/" + Vocabulary.Kebab(_e.Plural);
        w.Line($"/// <summary>Minimal API endpoints for {PluralWords}.</summary>");
        w.Open($"public static class {E}Endpoints");
        w.Open($"public static RouteGroupBuilder Map{_e.Plural}(this IEndpointRouteBuilder routes)");
        w.Line($"var group = routes.MapGroup(\"{route}\").WithTags(\"{_site} {PluralWords}\");");
        if (_random.Chance(0.7))
        {
            w.Line($"group.RequireAuthorization(\"{_policy}\");");
        }

        w.Line($"group.MapGet(\"/{{id:int}}\", GetAsync).WithName(\"Get{_site}{E}\");");
        if (_hasSearch)
        {
            w.Line($"group.MapGet(\"/\", (string? q, int? page, {E}Service service) => Results.Ok(service.Search(q, page ?? 1, 25)));");
        }

        w.Line("group.MapPost(\"/\", CreateAsync);");
        w.Line($"group.MapDelete(\"/{{id:int}}\", (int id, {E}Repository repository) => repository.Remove(id) ? Results.NoContent() : Results.NotFound());");
        if (_hasUpdateStatus && _random.Chance(0.6))
        {
            w.Open($"group.MapPut(\"/{{id:int}}/status\", async (int id, {S} status, {E}Service service, CancellationToken cancellationToken) =>");
            w.Open("try");
            w.Line("var item = await service.UpdateStatusAsync(id, status, cancellationToken);");
            w.Line("return Results.Ok(item.ToSummary());");
            w.Close();
            w.Open("catch (InvalidOperationException ex) when (ex is not ObjectDisposedException)");
            w.Line("return Results.Conflict(ex.Message);");
            w.Close();
            w.Close(");");
        }

        w.Line("return group;");
        w.Close();
        w.Line();
        w.Open($"private static async Task<Results<Ok<{E}Summary>, NotFound>> GetAsync(int id, {E}Service service, CancellationToken cancellationToken)");
        w.Line("var item = await service.GetAsync(id, cancellationToken);");
        w.Line("return item is null ? TypedResults.NotFound() : TypedResults.Ok(item.ToSummary());");
        w.Close();
        w.Line();
        w.Open($"private static async Task<IResult> CreateAsync(Create{E}Request request, {E}Service service, ILoggerFactory loggers, CancellationToken cancellationToken)");
        w.Line($"var logger = loggers.CreateLogger(\"{Namespace}.Endpoints\");");
        w.Open("try");
        w.Line("var created = await service.CreateAsync(request, cancellationToken);");
        w.Line($"return Results.Created($\"{route}/{{created.Id}}\", created.ToSummary());");
        w.Close();
        w.Open("catch (DomainValidationException ex)");
        var phi = _e.Request.FirstOrDefault(p => p.IsText && (p.Phi == PhiKind.Strong || p.Phi == PhiKind.Weak && _e.Kind == EntityKind.Person));
        if (Leak(Rule001, phi is not null))
        {
            Log(w, "logger", "Information", "Rejected % for %: % errors", ("Entity", $"nameof(Create{E}Request)"), (phi!.Name, "request." + phi.Name), ("Count", "ex.Errors.Count"));
        }
        else
        {
            Log(w, "logger", "Information", "Rejected %: % errors", ("Entity", $"nameof(Create{E}Request)"), ("Count", "ex.Errors.Count"));
        }

        w.Line("return Results.ValidationProblem(ex.Errors.Distinct().ToDictionary(e => e, e => new[] { e }));");
        w.Close();
        w.Close();
        w.Close();
        Add("Api/" + E + "Endpoints.cs", w);
    }

    private void WriteJob()
    {
        var w = Begin("System", "System.Linq", "System.Threading", "System.Threading.Tasks", "Microsoft.Extensions.Hosting");
        var job = E + _jobWord + "Job";
        var s = _e.Statuses;
        w.Line($"/// <summary>Runs the {_jobWord.ToLowerInvariant()} of {PluralWords} on a timer; it still logs through Serilog.</summary>");
        w.Open($"public sealed class {job} : BackgroundService");
        w.Line($"private static readonly Serilog.ILogger Log = Serilog.Log.ForContext<{job}>();");
        w.Line();
        w.Line($"private readonly {E}Repository _repository;");
        w.Line("private readonly TimeProvider _clock;");
        w.Line();
        w.Open($"public {job}({E}Repository repository, TimeProvider clock)");
        w.Line("_repository = repository;");
        w.Line("_clock = clock;");
        w.Close();
        w.Line();
        w.Open("protected override async Task ExecuteAsync(CancellationToken stoppingToken)");
        w.Line($"using var timer = new PeriodicTimer(TimeSpan.FromMinutes({_random.Pick(new[] { 5, 15, 30, 60 })}), _clock);");
        w.Open("while (await timer.WaitForNextTickAsync(stoppingToken))");
        w.Line($"var due = _repository.All().Where(x => x.Status == {_e.StatusEnum}.{s[_random.Next(s.Length)]}).ToList();");
        w.Line($"Log.Information(\"{_jobWord}: {{Count}} {PluralWords} due\", due.Count);");
        w.Open("foreach (var item in due)");
        w.Open("if (stoppingToken.IsCancellationRequested)");
        w.Line("break;");
        w.Close();
        w.Line();
        w.Line("var age = _clock.GetUtcNow() - item.CreatedAt;");
        w.Open($"if (age > TimeSpan.FromDays({_random.Pick(new[] { 7, 14, 30 })}))");
        var phi = PhiText();
        if (Leak(Rule002, _e.CarriesPhi))
        {
            w.Line($"Log.Warning(\"Overdue {Words} {{@{E}}}\", item);");
        }
        else if (Leak(Rule001, phi is not null))
        {
            w.Line($"Log.Warning(\"Overdue {Words} {{{E}Id}} for {{{phi!.Name}}}\", item.Id, item.{phi.Name});");
        }
        else
        {
            w.Line($"Log.Warning(\"Overdue {Words} {{{E}Id}} ({{Age}} days)\", item.Id, (int)age.TotalDays);");
        }

        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        Add("Jobs/" + job + ".cs", w);
    }

    private void WriteClient()
    {
        var w = Begin(
            "System", "System.Net", "System.Net.Http", "System.Net.Http.Json", "System.Threading", "System.Threading.Tasks",
            "Microsoft.Extensions.Logging");
        var client = _partner + E + "Client";
        var response = _partner + E + "Response";
        w.Line($"/// <summary>The {_partner.ToLowerInvariant()}'s answer about a {Words}.</summary>");
        w.Line($"public sealed record {response}(string Status, DateTimeOffset CheckedAt);");
        w.Line();
        w.Line($"/// <summary>Talks to the {_partner.ToLowerInvariant()} gateway about {PluralWords}.</summary>");
        w.Open($"public sealed class {client}");
        w.Line("private readonly HttpClient _http;");
        w.Line($"private readonly ILogger<{client}> _logger;");
        w.Line();
        w.Open($"public {client}(HttpClient http, ILogger<{client}> logger)");
        w.Line("_http = http;");
        w.Line("_logger = logger;");
        w.Close();
        w.Line();
        var phi = PhiText();
        w.Open($"public async Task<{response}?> LookupAsync({E} item, CancellationToken cancellationToken)");
        if (Leak(Rule004, phi is not null))
        {
            w.Line($"var url = $\"v1/{Vocabulary.Kebab(_e.Plural)}?{phi!.Camel}={{Uri.EscapeDataString({phi.TextOf("item")})}}\";");
        }
        else
        {
            w.Line($"var url = $\"v1/{Vocabulary.Kebab(_e.Plural)}/{{item.Id}}\";");
        }

        w.Line("using var response = await _http.GetAsync(url, cancellationToken);");
        w.Open("if (response.StatusCode == HttpStatusCode.NotFound)");
        w.Line($"_logger.LogInformation(\"The {_partner.ToLowerInvariant()} has no record of {Words} {{{E}Id}}\", item.Id);");
        w.Line("return null;");
        w.Close();
        w.Line();
        w.Open("if (!response.IsSuccessStatusCode)");
        if (Leak(Rule003, phi is not null))
        {
            w.Line($"throw new HttpRequestException($\"Lookup of {{item.{phi!.Name}}} failed with {{(int)response.StatusCode}}\");");
        }
        else
        {
            w.Line($"throw new HttpRequestException($\"Lookup of {Words} {{item.Id}} failed with {{(int)response.StatusCode}}\");");
        }

        w.Close();
        w.Line();
        w.Line($"return await response.Content.ReadFromJsonAsync<{response}>(cancellationToken);");
        w.Close();
        w.Line();
        w.Open($"public async Task SubmitAsync({E} item, CancellationToken cancellationToken)");
        w.Line($"using var response = await _http.PostAsJsonAsync(\"v1/{Vocabulary.Kebab(_e.Plural)}\", item.ToSummary(), cancellationToken);");
        w.Open("if (!response.IsSuccessStatusCode)");
        w.Line($"_logger.LogWarning(\"Submission of {Words} {{{E}Id}} failed with {{StatusCode}}\", item.Id, (int)response.StatusCode);");
        w.Line("response.EnsureSuccessStatusCode();");
        w.Close();
        w.Close();
        w.Close();
        Add("Integration/" + client + ".cs", w);
    }

    private void WriteProtector()
    {
        var w = Begin("System", "System.Security.Cryptography", "System.Text");
        var protector = E + "FieldProtector";
        w.Line($"/// <summary>Seals {Words} fields before they leave the service, and computes lookup fingerprints.</summary>");
        w.Open($"public sealed class {protector}");
        w.Line("private readonly byte[] _key;");
        w.Line();
        w.Open($"public {protector}(byte[] key)");
        w.Line("ArgumentNullException.ThrowIfNull(key);");
        w.Open("if (key.Length != 32)");
        w.Line("throw new ArgumentException(\"The key must be 256 bits.\", nameof(key));");
        w.Close();
        w.Line();
        w.Line("_key = key;");
        w.Close();
        w.Line();
        w.Line("public string Fingerprint(string value) =>");
        w.Indent().Line("Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value.Trim().ToUpperInvariant())));").Outdent();
        w.Line();
        w.Open("public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)");
        w.Line("var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);");
        w.Line("var tag = new byte[AesGcm.TagByteSizes.MaxSize];");
        w.Line("var ciphertext = new byte[plaintext.Length];");
        w.Line("using var aes = new AesGcm(_key, tag.Length);");
        w.Line("aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);");
        w.Line("var sealedValue = new byte[nonce.Length + ciphertext.Length + tag.Length];");
        w.Line("nonce.CopyTo(sealedValue, 0);");
        w.Line("ciphertext.CopyTo(sealedValue, nonce.Length);");
        w.Line("tag.CopyTo(sealedValue, nonce.Length + ciphertext.Length);");
        w.Line("return sealedValue;");
        w.Close();
        w.Line();
        w.Line("public static string Checksum(byte[] content) => Convert.ToHexString(SHA256.HashData(content));");
        if (_random.Chance(0.3))
        {
            w.Line();
            w.Line("// Kept for the legacy document store, which still compares MD5 ETags.");
            w.Line("public static string LegacyETag(byte[] content) => Convert.ToHexString(MD5.HashData(content));");
        }

        if (_random.Chance(0.4))
        {
            w.Line();
            w.Line("public static byte[] DeriveKey(string passphrase, byte[] salt) =>");
            w.Indent().Line("Rfc2898DeriveBytes.Pbkdf2(passphrase, salt, 600_000, HashAlgorithmName.SHA256, 32);").Outdent();
            w.Line();
            w.Line("public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);");
        }

        w.Close();
        Add("Security/" + protector + ".cs", w);
    }

    private void WriteRegistration()
    {
        var w = Begin("System", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.DependencyInjection");
        w.Line($"/// <summary>Registers the {_site} {PluralWords} module.</summary>");
        w.Open($"public static class {RegistrationType}");
        w.Open($"public static IServiceCollection {AddMethod}(IServiceCollection services)");
        w.Line($"services.AddSingleton<{E}Repository>();");
        w.Line($"services.AddScoped<{E}Service>();");
        w.Line($"services.AddOptions<{E}Options>();");
        if (_hasJob)
        {
            w.Line($"services.AddHostedService<{E}{_jobWord}Job>();");
        }

        if (_hasClient)
        {
            w.Line($"services.AddHttpClient<{_partner}{E}Client>(client => client.BaseAddress = new Uri(\"https://{_partner.ToLowerInvariant()}.example.test/\"));");
        }

        w.Line("return services;");
        w.Close();
        w.Line();
        w.Open($"public static IEndpointRouteBuilder {MapMethod}(IEndpointRouteBuilder routes)");
        if (_hasEndpoints)
        {
            w.Line($"routes.Map{_e.Plural}();");
        }

        w.Line("return routes;");
        w.Close();
        w.Close();
        Add(RegistrationType + ".cs", w);
    }
}
