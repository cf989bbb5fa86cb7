const root = require('../../jest.config.js');
module.exports = { projects: root.projects.filter((p) => p.displayName === 'libs') };
