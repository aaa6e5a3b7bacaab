namespace GossipActors.Configuration;

/// <summary>One invalid setting: which key, the value found and what is allowed.</summary>
/// <param name="Key">The HOCON path (or several, comma-separated, when keys conflict).</param>
/// <param name="Value">The value as written (or several, comma-separated).</param>
/// <param name="Allowed">What would be accepted.</param>
public sealed record SettingsProblem(string Key, string Value, string Allowed)
{
    /// <summary>"peer.gossip.propagatePeerNum = 0 is not allowed: must be an integer >= 1".</summary>
    public string Message { get; init; } = $"{Key} = {Value} is not allowed: {Allowed}";

    public override string ToString() => Message;
}
