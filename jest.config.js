// Backend and ops test projects, discovered: a workspace joins `npm test` by adding its own jest.config.js.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

const PROJECT_PARENTS = ['backend', 'backend/packages'];
const EXTRA_PROJECTS = ['test/contract', 'test/nginx', 'test/operator', 'test/ops', 'test/saga', 'test/scripts'];

function findProjects(root) {
  const dirs = PROJECT_PARENTS.flatMap((parent) => {
    const abs = path.join(root, parent);
    if (!existsSync(abs)) return [];
    return readdirSync(abs, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  return [...dirs, ...EXTRA_PROJECTS].filter((dir) => existsSync(path.join(root, dir, 'jest.config.js'))).sort();
}

module.exports = {
  projects: findProjects(__dirname).map((dir) => `<rootDir>/${dir}`),
  // jest-circus reads the test timeout from this (global) config only; the projects' own
  // testTimeout applies when a project runs alone. The saga tests wait up to a minute.
  testTimeout: 120_000,
};
