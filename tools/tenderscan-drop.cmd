@echo off
rem SPDX-License-Identifier: GPL-3.0-or-later
rem tenderscan-drop.cmd: drop files or folders on this file (or on a shortcut to it) to check
rem them; the HTML report opens in the default browser. Put it beside tenderscan.exe.
rem Not tried on Windows yet: see docs/windows.md.
setlocal
set "TS=%~dp0tenderscan.exe"
if not exist "%TS%" set "TS=tenderscan.exe"
if "%~1"=="" (
  echo Slipp filer eller mapper paa dette ikonet. / Drop files or folders on this icon.
  pause
  exit /b 2
)
rem A folder of its own under the users TEMP (only the user can read it by default).
set "DIR=%TEMP%\tenderscan-%RANDOM%%RANDOM%%RANDOM%"
mkdir "%DIR%" || (echo Could not create "%DIR%" & pause & exit /b 2)
set "LANGARG=en"
for /f "tokens=3" %%L in ('reg query "HKCU\Control Panel\International" /v LocaleName 2^>nul ^| find "LocaleName"') do (
  echo %%L | findstr /b /i "nb- nn- no-" >nul && set "LANGARG=nb"
)
if defined TENDERSCAN_LANG set "LANGARG=%TENDERSCAN_LANG%"
"%TS%" --lang %LANGARG% -f html -q -o "%DIR%\report.html" -- %*
set "RC=%ERRORLEVEL%"
if "%RC%"=="2" (
  echo tenderscan could not make the report.
  pause
  exit /b 2
)
if not exist "%DIR%\report.html" (
  echo tenderscan could not make the report.
  pause
  exit /b 2
)
start "" "%DIR%\report.html"
exit /b %RC%
