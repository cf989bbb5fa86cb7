// Vite's `?raw` imports in jest: the file's text as the default export (jest.config.js maps the query away).
module.exports = {
  process(source) {
    return { code: `module.exports = { __esModule: true, default: ${JSON.stringify(source)} };` };
  },
};
