using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>
/// What a valid configuration still deserves to be told about, printed by `peer --check` and logged once at start:
/// CORE_* variables that name no key (ignored: often a typo), keys set here that have no effect yet, and the list of
/// keys accepted without effect (<see cref="KeysWithoutEffect"/>).
/// </summary>
public static class ConfigNotices
{
    /// <param name="config">The loaded configuration (<see cref="PeerConfig.Load"/>).</param>
    public static IReadOnlyList<ConfigNotice> For(Config config, IReadOnlyDictionary<string, string> environment)
    {
        var notices = new List<ConfigNotice>();
        foreach (var (variable, didYouMean) in EnvironmentOverrides.UnknownVariables(config, environment))
        {
            notices.Add(new ConfigNotice(IsWarning: true,
                $"environment variable {variable} names no setting and is ignored" + (didYouMean is null ? "" : $" (did you mean {didYouMean}?)")));
        }
        foreach (var (key, value) in KeysWithoutEffect.ChangedIn(config))
        {
            notices.Add(new ConfigNotice(IsWarning: true, $"{key.Key} = {value} is accepted but has no effect yet: {key.Why}"));
        }
        notices.Add(new ConfigNotice(IsWarning: false,
            "accepted without effect yet: " + string.Join(", ", KeysWithoutEffect.All.Select(k => k.Key))));
        return notices;
    }
}

/// <summary>One line for the operator: a warning, or a note.</summary>
public sealed record ConfigNotice(bool IsWarning, string Text)
{
    public override string ToString() => (IsWarning ? "warning: " : "note: ") + Text;
}
