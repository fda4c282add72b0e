import baseConfig, { testCodeBoundaries } from '../../eslint.config.js';

// The bench drives the system the way a test does, and runs only in development (libs/testing is a devDependency here).
export default [...baseConfig, { files: ['src/**/*.ts'], ...testCodeBoundaries }];
