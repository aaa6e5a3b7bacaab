namespace GossipActors.Simulation;

/// <summary>
/// Discrete-event scheduler in virtual time. Events at the same instant run in the order they were scheduled,
/// so a run is reproducible from its inputs and seed.
/// </summary>
public sealed class VirtualScheduler
{
    private readonly PriorityQueue<Action, (TimeSpan At, long Order)> _queue = new();
    private long _order;

    public TimeSpan Now { get; private set; }

    public long ExecutedEvents { get; private set; }

    public void At(TimeSpan when, Action action) => _queue.Enqueue(action, (when < Now ? Now : when, _order++));

    public void After(TimeSpan delay, Action action) => At(Now + delay, action);

    /// <summary>Runs events until the queue is empty, <paramref name="until"/> is reached, or <paramref name="stop"/> says so.</summary>
    public void Run(TimeSpan until, Func<bool>? stop = null)
    {
        while (_queue.TryPeek(out _, out var key) && key.At <= until)
        {
            var action = _queue.Dequeue(); // dequeue before running: the action may schedule more
            Now = key.At;
            action();
            ExecutedEvents++;
            if (stop?.Invoke() == true)
            {
                return;
            }
        }
        if (stop?.Invoke() != true)
        {
            Now = until;
        }
    }
}
