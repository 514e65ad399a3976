// What every bin/ entry does. CommonJS on purpose (bin/package.json): Node 20
// starts a CommonJS main about 20 ms sooner than an ES module (no ESM loader),
// which was most of `treescan --version`'s own start-up. So --version is
// answered here; anything else loads the bundled program. The entries' `env
// -S -u NODE_EXTRA_CA_CERTS` line is a Perf choice too: Node 20 parses that
// file at every start (+40 ms where it is set), and no command makes a TLS
// connection.
'use strict';

/** Runs `name` (a registered command), or ioaio/the command a link is named after when undefined. */
module.exports = function start(name) {
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${require('../package.json').version}\n`);
    return;
  }
  let program;
  try {
    program = require('./load-bundle.cjs').loadBundle(require('node:path').join(__dirname, '../dist/bundle/ioaio.cjs'));
  } catch (err) {
    process.stderr.write(`${name ?? 'ioaio'}: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  program.run(name);
};
