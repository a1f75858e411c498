// Loaded with NODE_OPTIONS=--require into the collecting process (and any
// node process it starts): at exit, appends that process's peak resident set
// size and CPU time to the file named by BENCH_RSS_FILE.
'use strict';
const fs = require('fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const line = JSON.stringify({
      pid: process.pid,
      argv: process.argv.slice(1, 3),
      maxRssKb: process.resourceUsage().maxRSS,
      cpuSeconds: (() => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1e6;
      })(),
    });
    fs.appendFileSync(file, `${line}\n`);
  });
}
