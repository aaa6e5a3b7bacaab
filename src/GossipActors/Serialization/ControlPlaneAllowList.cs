using System.Collections.Immutable;
using Akka.Configuration;
using Hyperion;

namespace GossipActors.Serialization;

/// <summary>
/// The types a control-plane payload may name. Hyperion consults it by name before it loads any type, so a name
/// outside the list never reaches <see cref="Type.GetType(string)"/>.
/// </summary>
public sealed class ControlPlaneAllowList : ITypeFilter
{
    private readonly ImmutableHashSet<string> _names;

    public ControlPlaneAllowList(IEnumerable<Type> allowed)
    {
        Types = allowed.ToImmutableHashSet();
        // Hyperion's builder computes names exactly as Hyperion writes them (short assembly-qualified form).
        var builder = TypeFilterBuilder.Create();
        foreach (var type in Types)
        {
            builder = builder.Include(type);
        }
        // Hyperion checks the root's full AssemblyQualifiedName when serializing, the short form when reading.
        _names = builder.Build().FilteredTypes.Union(Types.Select(t => t.AssemblyQualifiedName!));
    }

    public ImmutableHashSet<Type> Types { get; }

    public bool IsAllowed(string typeName) => _names.Contains(typeName);

    /// <summary>Resolves the configured names (local, trusted configuration); an unknown name is a configuration error.</summary>
    public static IEnumerable<Type> FromConfig(IEnumerable<string> names, string key)
    {
        foreach (var name in names)
        {
            var type = Type.GetType(name, throwOnError: false)
                ?? throw new ConfigurationException(
                    $"{key} lists \"{name}\", which is not a loadable type; use the assembly-qualified form \"Namespace.Type, Assembly\".");
            yield return type;
        }
    }
}
