namespace GossipActors.Configuration;

/// <summary>
/// Configuration that cannot be used. <see cref="Key"/>, <see cref="Value"/> and <see cref="Allowed"/> describe the
/// first problem; <see cref="Problems"/> holds every problem found in one read, so they can be fixed together.
/// </summary>
public sealed class SettingsException : Exception
{
    public SettingsException(IReadOnlyList<SettingsProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public SettingsException(SettingsProblem problem)
        : this([problem])
    {
    }

    public IReadOnlyList<SettingsProblem> Problems { get; }

    public string Key => Problems[0].Key;

    public string Value => Problems[0].Value;

    public string Allowed => Problems[0].Allowed;

    private static string Describe(IReadOnlyList<SettingsProblem> problems)
    {
        if (problems.Count == 0)
        {
            throw new ArgumentException("A SettingsException needs at least one problem.", nameof(problems));
        }

        return problems.Count == 1
            ? problems[0].Message
            : $"{problems.Count} invalid settings:{Environment.NewLine}  - "
              + string.Join(Environment.NewLine + "  - ", problems.Select(p => p.Message));
    }
}
