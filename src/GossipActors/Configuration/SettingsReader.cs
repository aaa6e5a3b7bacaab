using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace GossipActors.Configuration;

/// <summary>
/// Reads typed values out of a <see cref="Config"/>, collecting every problem instead of stopping at the first, and
/// remembering which keys were read (so that unknown keys can be reported). Used once, by
/// <see cref="PeerSettings.FromConfig"/>.
/// </summary>
internal sealed class SettingsReader
{
    private readonly Config _config;
    private readonly string _displayPrefix;

    public SettingsReader(Config config)
        : this(config, "", [], new HashSet<string>(StringComparer.Ordinal))
    {
    }

    private SettingsReader(Config config, string displayPrefix, List<SettingsProblem> problems, HashSet<string> keysRead)
    {
        _config = config;
        _displayPrefix = displayPrefix;
        Problems = problems;
        KeysRead = keysRead;
    }

    public List<SettingsProblem> Problems { get; }

    /// <summary>Full paths of every key read so far.</summary>
    public HashSet<string> KeysRead { get; }

    public Config Config => _config;

    /// <summary>A reader over one element of a list of objects, reporting keys as "peer.channels[0].name".</summary>
    public SettingsReader ForElement(Config element, string displayPrefix) =>
        new(element, displayPrefix, Problems, KeysRead);

    public string DisplayKey(string key) => _displayPrefix + key;

    public void Report(string key, string value, string allowed) =>
        Problems.Add(new SettingsProblem(DisplayKey(key), value, allowed));

    public void Report(SettingsProblem problem) => Problems.Add(problem);

    /// <summary>A scalar as written, or null (reported) when missing or not a scalar.</summary>
    public string? Scalar(string key, string allowed)
    {
        var value = Lookup(key);
        if (value is null)
        {
            Report(key, "(missing)", allowed);
            return null;
        }

        if (value.IsList() || value.IsObject())
        {
            Report(key, Render(value), allowed);
            return null;
        }

        return value.GetString() ?? "";
    }

    public string String(string key, bool allowEmpty = true)
    {
        const string AllowedAny = "must be a string";
        const string AllowedNonEmpty = "must be a non-empty string";
        var text = Scalar(key, allowEmpty ? AllowedAny : AllowedNonEmpty);
        if (text is null)
        {
            return "";
        }

        if (!allowEmpty && text.Trim().Length == 0)
        {
            Report(key, Quote(text), AllowedNonEmpty);
        }

        return text;
    }

    public bool Bool(string key)
    {
        const string Allowed = "must be true or false (also on/off, yes/no)";
        var text = Scalar(key, Allowed);
        switch (text?.Trim().ToLowerInvariant())
        {
            case null:
                return false;
            case "true" or "on" or "yes":
                return true;
            case "false" or "off" or "no":
                return false;
            default:
                Report(key, Quote(text), Allowed);
                return false;
        }
    }

    public int Int(string key, int min, int max = int.MaxValue)
    {
        var allowed = max == int.MaxValue
            ? $"must be an integer >= {min}"
            : $"must be an integer from {min} to {max}";
        var text = Scalar(key, allowed);
        if (text is null)
        {
            return min;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            Report(key, Quote(text), allowed);
            return min;
        }

        return number;
    }

    /// <summary>A size in bytes: a number, or HOCON's size form ("512 KiB", "1 MB"), from min to max.</summary>
    public int ByteSize(string key, int min, int max)
    {
        var allowed = $"must be a size in bytes from {min} to {max} (e.g. 524288, \"512 KiB\", \"1 MB\")";
        var text = Scalar(key, allowed);
        if (text is null)
        {
            return min;
        }

        long? bytes;
        try
        {
            bytes = Lookup(key)!.GetByteSize();
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            bytes = null;
        }

        if (bytes is not { } size || size < min || size > max)
        {
            Report(key, Quote(text), allowed);
            return min;
        }

        return (int)size;
    }

    /// <summary>A strictly positive duration.</summary>
    public TimeSpan Duration(string key) => Duration(key, allowEmpty: false) ?? TimeSpan.FromSeconds(1);

    /// <summary>A strictly positive duration, or null when written as "" and <paramref name="allowEmpty"/>.</summary>
    public TimeSpan? Duration(string key, bool allowEmpty)
    {
        var allowed = "must be a positive duration such as \"4s\", \"1500ms\" or \"2m\""
                      + (allowEmpty ? ", or \"\"" : "");
        var text = Scalar(key, allowed);
        if (text is null)
        {
            return null;
        }

        if (allowEmpty && text.Trim().Length == 0)
        {
            return null;
        }

        if (!DurationFormat.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            Report(key, Quote(text), allowed);
            return null;
        }

        return duration;
    }

    /// <summary>A host:port endpoint, or "" when <paramref name="allowEmpty"/>.</summary>
    public string Endpoint(string key, bool allowEmpty, bool allowPortZero = false)
    {
        var allowed = EndpointFormat.Allowed(allowPortZero) + (allowEmpty ? ", or \"\"" : "");
        var text = Scalar(key, allowed);
        if (text is null)
        {
            return "";
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 0 ? !allowEmpty : !EndpointFormat.IsValid(trimmed, allowPortZero))
        {
            Report(key, Quote(text), allowed);
        }

        return trimmed;
    }

    /// <summary>
    /// A list of strings: a HOCON list, or one string whose items are separated by spaces or commas (the form of
    /// Fabric's environment variables).
    /// </summary>
    public IReadOnlyList<string> StringList(string key, string allowed = "must be a list of strings")
    {
        var value = Lookup(key);
        if (value is null)
        {
            Report(key, "(missing)", allowed);
            return [];
        }

        if (value.IsList())
        {
            var items = value.GetArray();
            if (items.Any(item => item.IsList() || item.IsObject()))
            {
                Report(key, Render(value), allowed);
                return [];
            }

            return [.. items.Select(item => (item.GetString() ?? "").Trim())];
        }

        if (value.IsObject())
        {
            Report(key, Render(value), allowed);
            return [];
        }

        return SplitList(value.GetString() ?? "");
    }

    public IReadOnlyList<string> EndpointList(string key)
    {
        const string Allowed = "must be a list of host:port endpoints such as [\"peer0.org1:7051\"] (port 1 to 65535)";
        var items = StringList(key, Allowed);
        foreach (var item in items.Where(item => !EndpointFormat.IsValid(item, allowPortZero: false)))
        {
            Report(key, $"[{string.Join(", ", items.Select(Quote))}]", $"{Allowed}; {Quote(item)} is not one");
            break;
        }

        return items;
    }

    /// <summary>The elements of a list of objects (e.g. peer.channels), each as its own <see cref="Config"/>.</summary>
    public IReadOnlyList<Config> ObjectList(string key, string allowed)
    {
        var value = Lookup(key);
        if (value is null || !value.IsList() || value.GetArray().Any(item => !item.IsObject()))
        {
            Report(key, value is null ? "(missing)" : Render(value), allowed);
            return [];
        }

        return [.. value.GetArray().Select(item => new Config(new HoconRoot(item)))];
    }

    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split([' ', ',', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    public static string Quote(string text) => text.Length == 0 || text.Any(char.IsWhiteSpace) || text.Contains(',')
        ? $"\"{text}\""
        : text;

    public static string Render(HoconValue value)
    {
        if (value.IsList())
        {
            return "[" + string.Join(", ", value.GetArray().Select(Render)) + "]";
        }

        if (value.IsObject())
        {
            return "{ " + string.Join(", ", value.GetObject().Items.Select(kv => $"{kv.Key} = {Render(kv.Value)}")) + " }";
        }

        return Quote(value.GetString() ?? "");
    }

    private HoconValue? Lookup(string key)
    {
        KeysRead.Add(DisplayKey(key));
        return _config.HasPath(key) ? _config.GetValue(key) : null;
    }
}
