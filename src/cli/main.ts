console.log("timetric CLI: not built yet"); process.exitCode = 1;
