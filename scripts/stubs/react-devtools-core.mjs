// ink imports react-devtools-core at the top of its devtools module, which
// it loads only when DEV=true; the single executable's bundled views have
// no node_modules to find it in, so this stands in (never called there).
export default { initialize() {}, connectToDevTools() {} };
