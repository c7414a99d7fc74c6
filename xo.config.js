/** @type {import('xo').FlatXoConfig} */
const xoConfig = [
  {
    ignores: ['dist/**'],
  },
  {
    prettier: true,
    space: 2,
    react: true,
    rules: {
      // Packet handling is hot: plain loops and early returns read better than chains here.
      'unicorn/no-array-for-each': 'off',
      'no-bitwise': 'off',
      'unicorn/prefer-math-trunc': 'off',
      'no-await-in-loop': 'off',
      'unicorn/no-process-exit': 'off',
      'n/prefer-global/process': 'off',
      'n/prefer-global/buffer': 'off',
      'unicorn/prevent-abbreviations': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      'react/prop-types': 'off',
      'react/require-default-props': 'off',
      '@typescript-eslint/naming-convention': 'off',
      'capitalized-comments': 'off',
      'max-params': 'off',
      complexity: 'off',
      'unicorn/no-null': 'off',
      // Interfaces here group fields by meaning, not by kind.
      '@typescript-eslint/member-ordering': 'off',
      // Node's socket and stream APIs speak Buffer and null.
      '@typescript-eslint/no-restricted-types': 'off',
      // The automatic JSX runtime needs no React in scope.
      'react/react-in-jsx-scope': 'off',
      'react/jsx-uses-react': 'off',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read JSON and events whose shape they then assert.
      '@typescript-eslint/no-unsafe-type-assertion': 'off',
    },
  },
];

export default xoConfig;
