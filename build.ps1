#!/usr/bin/env pwsh
# Bootstrap, as Nuke's build.ps1: check for a .NET 10 SDK, build the build project when its sources changed (a stamp
# file records the last good build; see build.sh), run it with the arguments. Published ReadyToRun: build.sh compiles
# ahead of time where it finds a C compiler, which on Windows would mean the MSVC linker.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error 'the .NET SDK is not installed. imagesync needs the .NET 10 SDK: https://dotnet.microsoft.com/download/dotnet/10.0'
    exit 1
}
$out = Join-Path $root '.artifacts/build'
$stamp = Join-Path $out '.built'
function Test-Stale {
    # The stamp names the kind of build; build.sh's native one (which has no _build.dll) is rebuilt here.
    if (-not (Test-Path $stamp) -or -not (Test-Path (Join-Path $out '_build.dll')) -or (Get-Content $stamp -Raw).Trim() -ne 'managed') { return $true }
    $built = (Get-Item $stamp).LastWriteTimeUtc
    $inputs = @(Get-ChildItem -Recurse -Force (Join-Path $root 'build'), (Join-Path $root 'src') |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)([\\/]|$)' })
    $inputs += @(Get-Item (Join-Path $root 'global.json'), (Join-Path $root 'Directory.Build.props'))
    return [bool]($inputs | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1)
}
if (Test-Stale) {
    if (-not (dotnet --list-sdks | Where-Object { $_ -match '^10\.' })) {
        Write-Error "imagesync needs the .NET 10 SDK; found: $((dotnet --list-sdks) -join ', ')"
        exit 1
    }
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $out
    dotnet publish (Join-Path $root 'build/_build.csproj') -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o $out -nologo -v:q -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { Write-Error 'the build project did not compile'; exit 1 }
    Set-Content -Path $stamp -Value 'managed'
}
if (-not $env:IMAGE_SYNC_ROOT) { $env:IMAGE_SYNC_ROOT = $root }
& dotnet (Join-Path $out '_build.dll') @args
exit $LASTEXITCODE
