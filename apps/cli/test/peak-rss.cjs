// Preloaded (node --require) into a CLI process by the fault tests: at exit, writes the process's
// peak resident memory in kilobytes to $CNNLAB_PEAK_RSS_FILE.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.CNNLAB_PEAK_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
