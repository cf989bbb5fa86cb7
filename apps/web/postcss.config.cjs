// Mantine's PostCSS preset: rem/em helpers, light/dark mixins and breakpoint functions
// used by Mantine's own styles and by any *.module.css in this app.
module.exports = {
  plugins: {
    'postcss-preset-mantine': {},
  },
};
