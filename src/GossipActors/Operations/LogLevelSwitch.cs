namespace GossipActors.Operations;

/// <summary>
/// The logging specification in force for one node, changeable at run time (PUT /logspec). Log filters read
/// <see cref="Current"/> on every decision; <see cref="Changed"/> lets a node lower or raise Akka's own log level to match.
/// </summary>
public sealed class LogLevelSwitch(LogSpec initial)
{
    private volatile LogSpec _current = initial;

    public LogSpec Current => _current;

    public event Action<LogSpec>? Changed;

    /// <summary>Parses and applies a new specification; on a bad one nothing changes and the error says why.</summary>
    public bool TryApply(string text, out string error)
    {
        if (!LogSpec.TryParse(text, out var spec, out error))
        {
            return false;
        }
        _current = spec;
        Changed?.Invoke(spec);
        return true;
    }
}
