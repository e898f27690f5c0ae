// api-auth CLI (to be written)
process.exitCode = 0;
