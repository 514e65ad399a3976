// commander requires node:child_process when it loads, for git-style
// executable subcommands, which ioaio never uses. Perf: child_process pulls
// in dgram and more (a few ms of every start); this stand-in loads it only
// if something actually touches it.
let real;
module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });
