import nx from '@nx/eslint-plugin';

/*
 * Module boundaries on two axes, from each project's nx.tags.
 * scope: which part of the system a project belongs to; shared infrastructure knows no domain.
 * type: what kind of code it is. util (infrastructure) < protocol (a domain's wire shapes)
 * < feature (domain logic) < app/tool/e2e; testing is test support, for test code only.
 */
const scopeRules = {
  'scope:shared': ['scope:shared'],
  'scope:simulation': ['scope:simulation', 'scope:shared'],
  'scope:queue': ['scope:queue', 'scope:shared'],
  // The coordinator runs and draws both kinds of run.
  'scope:coordinator': ['scope:coordinator', 'scope:simulation', 'scope:queue', 'scope:shared'],
  'scope:writer': ['scope:writer', 'scope:queue', 'scope:shared'],
  'scope:reader': ['scope:reader', 'scope:queue', 'scope:shared'],
  'scope:tools': ['scope:tools', 'scope:coordinator', 'scope:simulation', 'scope:queue', 'scope:shared'],
  'scope:e2e': ['scope:coordinator', 'scope:simulation', 'scope:queue', 'scope:shared'],
};
const typeRules = {
  'type:util': ['type:util'],
  'type:protocol': ['type:protocol', 'type:util'],
  'type:feature': ['type:feature', 'type:protocol', 'type:util'],
  'type:testing': ['type:util'],
  'type:app': ['type:feature', 'type:protocol', 'type:util'],
  'type:tool': ['type:feature', 'type:protocol', 'type:util'],
  'type:e2e': ['type:feature', 'type:protocol', 'type:util', 'type:testing'],
};

/** The rule's options; test code may also use libs/testing (it is a devDependency there, never a runtime one). */
function moduleBoundaries({ inTests }) {
  const typeConstraints = Object.entries(typeRules).map(([sourceTag, allowed]) => ({
    sourceTag,
    onlyDependOnLibsWithTags: inTests && sourceTag !== 'type:testing' ? [...new Set([...allowed, 'type:testing'])] : allowed,
  }));
  const scopeConstraints = Object.entries(scopeRules).map(([sourceTag, allowed]) => ({ sourceTag, onlyDependOnLibsWithTags: allowed }));
  return ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: [...scopeConstraints, ...typeConstraints] }];
}

/** For test code: specs and their support files here; a project whose every file is test code adds it to its own config (tools/bench). */
export const testCodeBoundaries = { rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ inTests: true }) } };

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/vitest.config.*.timestamp*'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({ inTests: false }),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  { files: ['**/*.spec.ts', '**/src/support/**/*.ts'], ...testCodeBoundaries },
  {
    // In specs a wrong guess fails the test at once, which is what a test is for.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Tool configuration shared by every project lives at the root on purpose.
    files: ['**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
