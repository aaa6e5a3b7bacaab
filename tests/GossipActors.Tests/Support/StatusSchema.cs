using System.Text.Json;

namespace GossipActors.Tests.Support;

/// <summary>
/// Checks a JSON document against one of docs/*.schema.json, field by field. Reads the subset of JSON Schema those
/// files use: type (one or a list: string, integer, number, boolean, array, object, null), properties, required,
/// additionalProperties (false or a schema), items and local $ref ("#/$defs/name"); anything else in a schema is refused,
/// so the schema cannot say more than is checked. Stricter than JSON Schema: an object schema without
/// additionalProperties is closed (no undocumented field passes).
/// </summary>
public sealed class StatusSchema
{
    private static readonly HashSet<string> Known = ["$schema", "title", "description", "type", "properties", "required",
        "additionalProperties", "items", "$ref", "$defs"];
    private readonly JsonElement _root;

    private StatusSchema(JsonElement root) => _root = root;

    public static StatusSchema Load(string fileName) =>
        new(JsonDocument.Parse(File.ReadAllText(Path.Combine(DocsDirectory(), fileName))).RootElement.Clone());

    public static string DocsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GossipActors.sln")))
            {
                return Path.Combine(dir.FullName, "docs");
            }
        }
        throw new DirectoryNotFoundException($"No GossipActors.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Every property name the schema declares, at any depth.</summary>
    public IReadOnlySet<string> PropertyNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement schema)
        {
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            foreach (var property in schema.EnumerateObject())
            {
                if (property.Name is "properties" or "$defs")
                {
                    foreach (var child in property.Value.EnumerateObject())
                    {
                        if (property.Name == "properties")
                        {
                            names.Add(child.Name);
                        }
                        Walk(child.Value);
                    }
                }
                else if (property.Name is "items" or "additionalProperties")
                {
                    Walk(property.Value);
                }
            }
        }
        Walk(_root);
        return names;
    }

    /// <summary>Every way <paramref name="json"/> departs from the schema, as "path: problem"; empty when it conforms.</summary>
    public IReadOnlyList<string> Problems(string json)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        Check(_root, document.RootElement, "$", problems);
        return problems;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        foreach (var keyword in schema.EnumerateObject().Where(p => !Known.Contains(p.Name)))
        {
            throw new InvalidOperationException($"schema keyword '{keyword.Name}' at {path} is not checked by StatusSchema");
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!;
            const string Prefix = "#/$defs/";
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"only local $defs references are supported, not {name}");
            }
            Check(_root.GetProperty("$defs").GetProperty(name[Prefix.Length..]), value, path, problems);
            return;
        }
        if (schema.TryGetProperty("type", out var type))
        {
            var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            var actual = TypeOf(value);
            if (!allowed.Contains(actual) && !(actual == "integer" && allowed.Contains("number")))
            {
                problems.Add($"{path}: {actual}, expected {string.Join(" or ", allowed)}");
                return;
            }
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(name => !value.TryGetProperty(name, out _)))
                {
                    problems.Add($"{path}.{name}: missing");
                }
            }
            foreach (var field in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(field.Name, out var fieldSchema))
                {
                    Check(fieldSchema, field.Value, $"{path}.{field.Name}", problems);
                }
                else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
                {
                    Check(additional, field.Value, $"{path}.{field.Name}", problems);
                }
                else if (!schema.TryGetProperty("additionalProperties", out var closed) || closed.ValueKind == JsonValueKind.False)
                {
                    problems.Add($"{path}.{field.Name}: not in the documented schema");
                }
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(items, item, $"{path}[{index++}]", problems);
            }
        }
    }

    private static string TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetDecimal(out var d) && d == decimal.Truncate(d) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
