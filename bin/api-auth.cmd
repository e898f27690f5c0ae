@echo off
rem `api-auth` in a VS Code integrated terminal (Windows): the bundled CLI run by VS Code's own runtime.
setlocal
set ELECTRON_RUN_AS_NODE=1
if not defined API_AUTH_NODE set API_AUTH_NODE=node
"%API_AUTH_NODE%" "%~dp0..\dist\cli.js" %*
