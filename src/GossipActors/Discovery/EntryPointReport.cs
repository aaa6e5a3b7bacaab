using GossipActors.Comm;

namespace GossipActors.Discovery;

/// <summary>
/// Says when a bootstrap or anchor peer cannot be reached, in gossip's words: once at the first failure, then at most
/// once per <see cref="RepeatEvery"/> while failures go on (with how many attempts failed in between), however often
/// membership retries. Other endpoints are not reported here (a known peer that stops answering is declared dead).
/// Pure: takes the time; one owner (the membership actor); memory bounded by the configured endpoints.
/// </summary>
public sealed class EntryPointReport
{
    public static readonly TimeSpan RepeatEvery = TimeSpan.FromMinutes(5);

    private readonly HashSet<string> _bootstrap;
    private readonly HashSet<string> _anchors;
    private readonly TimeSpan _retry;
    private readonly WarningRateLimiter _said = new(RepeatEvery);

    public EntryPointReport(IEnumerable<string> bootstrap, IEnumerable<string> anchors, TimeSpan retry)
    {
        _bootstrap = new HashSet<string>(bootstrap, StringComparer.Ordinal);
        _anchors = new HashSet<string>(anchors, StringComparer.Ordinal);
        _retry = retry;
    }

    /// <summary>The line to log for this failure, or null (not an entry point, or already said recently).</summary>
    public string? OnUnreachable(string endpoint, string reason, DateTimeOffset now)
    {
        var role = (_bootstrap.Contains(endpoint), _anchors.Contains(endpoint)) switch
        {
            (true, true) => "Bootstrap and anchor peer",
            (true, false) => "Bootstrap peer",
            (false, true) => "Anchor peer",
            _ => null,
        };
        if (role is null || !_said.ShouldLog(endpoint, now, out var failedSince))
        {
            return null;
        }
        var since = failedSince > 0 ? $"; {failedSince} more attempts failed since it was last said" : "";
        return $"{role} {endpoint} is unreachable: {reason}; retrying every {Format(_retry)}{since} (said again every {Format(RepeatEvery)} while it lasts)";
    }

    private static string Format(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0.#} s";
}
