namespace GossipActors.Simulation;

/// <summary>The scheduler's virtual time as a <see cref="TimeProvider"/>, for cores that read the clock (sequence numbers).</summary>
internal sealed class VirtualTimeProvider(VirtualScheduler scheduler, DateTimeOffset epoch) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => epoch + scheduler.Now;
}
