using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GossipActors.Node.Network;

/// <summary>SIGTERM to a child process (kill(2)); .NET's Process.Kill only sends SIGKILL.</summary>
internal static class ProcessSignals
{
    private const int Sigterm = 15; // the same number on Linux and macOS

    /// <summary>Asks the process to stop gracefully; false where there is no SIGTERM (Windows) or it already exited.</summary>
    public static bool Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        return kill(process.Id, Sigterm) == 0;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
