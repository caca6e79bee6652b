#!/usr/bin/env pwsh
# Bootstrap, as Nuke's build.ps1: check for a .NET 10 SDK, build the build project, run it with the arguments.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error 'the .NET SDK is not installed. imagesync needs the .NET 10 SDK: https://dotnet.microsoft.com/download/dotnet/10.0'
    exit 1
}
if (-not (dotnet --list-sdks | Where-Object { $_ -match '^10\.' })) {
    Write-Error "imagesync needs the .NET 10 SDK; found: $((dotnet --list-sdks) -join ', ')"
    exit 1
}
$out = Join-Path $root '.artifacts/build'
dotnet build (Join-Path $root 'build/_build.csproj') -c Release -o $out -nologo -v:q -clp:ErrorsOnly
if ($LASTEXITCODE -ne 0) { Write-Error 'the build project did not compile'; exit 1 }
if (-not $env:IMAGE_SYNC_ROOT) { $env:IMAGE_SYNC_ROOT = $root }
& dotnet (Join-Path $out '_build.dll') @args
exit $LASTEXITCODE
