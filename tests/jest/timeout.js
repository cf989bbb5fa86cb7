/* global jest */
// One test timeout for every project. Jest takes `testTimeout` neither from a project entry nor
// (with `projects`) from the top level, so it is set here, in each test file's environment. The
// API suites boot Nest against Postgres; a loaded 2-core CI machine needs the headroom.
jest.setTimeout(30_000);
