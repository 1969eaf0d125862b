using System;
using System.Collections.Generic;
using System.Linq;

namespace HipaaAnalyzers.Corpus;

/// <summary>A property of a generated entity.</summary>
internal sealed class PropertySpec
{
    public PropertySpec(PropertyTemplate template, bool tagged)
    {
        Name = template.Name;
        Value = template.Value;
        Phi = template.Phi;
        Tagged = tagged;
    }

    public string Name { get; }

    public ValueKind Value { get; }

    public PhiKind Phi { get; }

    /// <summary>Carries <c>[Phi]</c>.</summary>
    public bool Tagged { get; }

    public string Camel => Vocabulary.Camel(Name);

    public string Type => Value switch
    {
        ValueKind.Text => "string",
        ValueKind.OptionalText => "string?",
        ValueKind.Integer => "int",
        ValueKind.Money => "decimal",
        ValueKind.Date => "DateOnly",
        ValueKind.Timestamp => "DateTimeOffset",
        ValueKind.OptionalTimestamp => "DateTimeOffset?",
        ValueKind.TextList => "List<string>",
        _ => throw new InvalidOperationException(Value.ToString()),
    };

    public string Initializer => Value switch
    {
        ValueKind.Text => " = string.Empty;",
        ValueKind.TextList => " = new();",
        _ => string.Empty,
    };

    public bool IsText => Value is ValueKind.Text or ValueKind.OptionalText;

    /// <summary>A non-null string expression for this property of <paramref name="instance"/>.</summary>
    public string TextOf(string instance) => Value == ValueKind.OptionalText
        ? "(" + instance + "." + Name + " ?? string.Empty)"
        : instance + "." + Name;
}

/// <summary>The entity at the heart of one module, with its status enum, DTOs and what of it is PHI.</summary>
internal sealed class EntitySpec
{
    public EntitySpec(DomainTemplate domain, Random random)
    {
        Name = domain.Entity;
        Plural = domain.Plural;
        Kind = domain.Kind;
        Statuses = domain.Statuses;
        HasPatientId = Kind is EntityKind.Clinical or EntityKind.Financial;

        var pool = Vocabulary.Properties[Kind];
        var chosen = new List<PropertyTemplate>();
        foreach (var template in pool)
        {
            if (random.Chance(0.55))
            {
                chosen.Add(template);
            }
        }

        // Every entity of a PHI kind holds at least one identifier that is PHI wherever it appears, and one plain text.
        if (Kind != EntityKind.Operational && !chosen.Any(p => p.Phi == PhiKind.Strong && p.Value == ValueKind.Text))
        {
            chosen.Add(random.Pick(pool.Where(p => p.Phi == PhiKind.Strong && p.Value == ValueKind.Text).ToList()));
        }

        if (Kind == EntityKind.Person)
        {
            foreach (var name in new[] { "FirstName", "LastName" })
            {
                if (!chosen.Any(p => p.Name == name))
                {
                    chosen.Add(pool.First(p => p.Name == name));
                }
            }
        }

        if (!chosen.Any(p => p.Value == ValueKind.Text && p.Phi == PhiKind.None))
        {
            var plain = pool.Where(p => p.Value == ValueKind.Text && p.Phi == PhiKind.None).ToList();
            if (plain.Count > 0)
            {
                chosen.Add(random.Pick(plain));
            }
        }

        // Pool order keeps related properties together, the way people write them.
        chosen = pool.Where(chosen.Contains).ToList();
        TypeTagged = Kind == EntityKind.Person && random.Chance(0.15);
        Properties = chosen
            .Select(t => new PropertySpec(t, t.Phi switch
            {
                PhiKind.TaggedOnly => Kind != EntityKind.Operational && random.Chance(0.7),
                PhiKind.Strong or PhiKind.Weak => !TypeTagged && random.Chance(0.25),
                _ => false,
            }))
            .ToList();

        HasToString = random.Chance(0.2);
        ToStringLeaks = HasToString && Kind == EntityKind.Person && random.Chance(0.5);
        var summaryCandidates = Properties.Where(p => p.Value != ValueKind.TextList).ToList();
        Summary = summaryCandidates.Where(_ => random.Chance(0.35)).Take(3).ToList();
        if (Summary.Count == 0 && summaryCandidates.Count > 0)
        {
            Summary.Add(summaryCandidates.FirstOrDefault(p => !IsPhi(p)) ?? summaryCandidates[0]);
        }

        Request = Properties.Where(p => p.Value != ValueKind.OptionalTimestamp && random.Chance(0.8)).ToList();
        if (!Request.Any(p => p.IsText))
        {
            Request.AddRange(Properties.Where(p => p.IsText).Take(1));
        }
    }

    public string Name { get; }

    public string Plural { get; }

    public string Camel => Vocabulary.Camel(Name);

    public string StatusEnum => Name + "Status";

    public EntityKind Kind { get; }

    public string[] Statuses { get; }

    public bool HasPatientId { get; }

    /// <summary>The class carries <c>[Phi]</c>: every member is PHI unless marked <c>[NotPhi]</c>.</summary>
    public bool TypeTagged { get; }

    public List<PropertySpec> Properties { get; }

    /// <summary>Members of the <c>...Summary</c> record besides Id and Status.</summary>
    public List<PropertySpec> Summary { get; }

    /// <summary>Members of the <c>Create...Request</c> record.</summary>
    public List<PropertySpec> Request { get; }

    public bool HasToString { get; }

    /// <summary>The ToString override returns names (a leak whenever the object is formatted).</summary>
    public bool ToStringLeaks { get; }

    /// <summary>Weak names (FirstName, Email) count as PHI here: a person type, a [Phi] type, or one with strong PHI.</summary>
    public bool WeakNamesArePhi => Kind == EntityKind.Person || TypeTagged || Properties.Any(p => p.Phi == PhiKind.Strong || p.Tagged && p.Phi != PhiKind.None);

    public bool IsPhi(PropertySpec property) =>
        TypeTagged || property.Tagged || property.Phi == PhiKind.Strong || property.Phi == PhiKind.Weak && WeakNamesArePhi;

    public IEnumerable<PropertySpec> PhiText => Properties.Where(p => p.IsText && IsPhi(p));

    public IEnumerable<PropertySpec> PlainText => Properties.Where(p => p.IsText && !IsPhi(p));

    public bool CarriesPhi => Properties.Any(IsPhi);

    /// <summary>The summary record carries PHI the analyzers can see: a PHI name, or a member marked [Phi].</summary>
    public bool SummaryCarriesPhi => Summary.Any(p =>
        SummaryTagged(p) || p.Phi == PhiKind.Strong || p.Phi == PhiKind.Weak && (Kind == EntityKind.Person || Summary.Any(s => s.Phi == PhiKind.Strong)));

    /// <summary>A summary member is marked [Phi] where the entity's property is PHI by attribute.</summary>
    public bool SummaryTagged(PropertySpec property) => (property.Tagged || TypeTagged) && property.Phi != PhiKind.None;

    public PropertySpec? Number => Properties.FirstOrDefault(p => p.Value is ValueKind.Integer or ValueKind.Money);
}
