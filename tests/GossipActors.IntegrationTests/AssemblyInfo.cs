using Xunit;

// Each integration test runs several actor systems or processes over real sockets; on a 2-core machine they are
// deterministic only when they do not compete with each other, so test classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
