#!/usr/bin/env pwsh
# Thin wrapper over the dotnet CLI; every step works the same with plain dotnet (see README.md).
param(
    [ValidateSet('build', 'test', 'bench', 'run')] [string] $Target = 'test',
    [string] $Configuration = 'Release',
    [Parameter(ValueFromRemainingArguments = $true)] [string[]] $Rest = @()
)
$ErrorActionPreference = 'Stop'

function Invoke-Dotnet([string[]] $Arguments) {
    Write-Host "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE" }
}

switch ($Target) {
    'build' { Invoke-Dotnet @('build', 'GossipActors.sln', '-c', $Configuration) }
    'test'  { Invoke-Dotnet @('test', 'GossipActors.sln', '-c', $Configuration) }
    'bench' { Invoke-Dotnet (@('run', '-c', 'Release', '--project', 'src/GossipActors.Benchmarks', '--') + $Rest) }
    'run'   { Invoke-Dotnet (@('run', '-c', $Configuration, '--project', 'src/GossipActors.Node', '--') + $Rest) }
}
